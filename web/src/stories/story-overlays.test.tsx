import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeAccount } from '../test/fixtures.ts';
import { overlayPosition, safeColour, StoryOverlays, toPercent } from './story-overlays.tsx';

const ines = makeAccount('ines', { id: '7' });

describe('story overlays', () => {
  it('places each layer by its centre at x, y of the picture, turned and sized around it', () => {
    render(
      <StoryOverlays
        overlays={[
          { type: 'text', text: 'Happy Birthday', x: 0.25, y: 0.8, rotation: 15, scale: 2, color: '#ff0000', background: '#00000080', font: 'typewriter', align: 'left' },
          { type: 'text', text: 'Top left', x: 0, y: 0 },
        ]}
        mentions={[]}
      />,
    );
    const first = screen.getByText('Happy Birthday');
    expect(first.style.left).toBe('25%');
    expect(first.style.top).toBe('80%');
    expect(first.style.transform).toBe('translate(-50%, -50%) rotate(15deg) scale(2)');
    expect(first.style.color).toBe('#ff0000');
    expect(first.style.backgroundColor).toBe('#00000080');
    expect(first.style.textAlign).toBe('left');
    expect(first.className).toContain('story-font-typewriter');
    expect(first.className).toContain('has-background');
    const second = screen.getByText('Top left');
    expect(second.style.left).toBe('0%');
    expect(second.style.transform).toBe('translate(-50%, -50%) rotate(0deg) scale(1)');
    // Defaults: white, centred, the classic font.
    expect(second.style.color).toBe('#ffffff');
    expect(second.style.textAlign).toBe('center');
    expect(second.className).toContain('story-font-classic');
  });

  it('renders any script as text with dir="auto": right-to-left, emoji and ZWJ sequences intact', () => {
    const words = ['مرحبا يا صديقتي', 'שלום', 'Our babies are so small here 😢', 'family 👩‍👩‍👧‍👦 👍🏽', '誕生日おめでとう'];
    render(<StoryOverlays overlays={words.map((text, i) => ({ type: 'text' as const, text, x: 0.5, y: i / 10 }))} mentions={[]} />);
    for (const text of words) {
      const el = screen.getByText(text);
      expect(el.tagName).toBe('P');
      expect(el.getAttribute('dir')).toBe('auto');
      expect(el.textContent).toBe(text);
    }
  });

  it('shows markup as text, never as HTML', () => {
    const { container } = render(<StoryOverlays overlays={[{ type: 'text', text: '<img src=x onerror=alert(1)>', x: 0.5, y: 0.5 }]} mentions={[]} />);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
  });

  it('makes mention stickers buttons named @username, and leaves out mentions of accounts it does not know', () => {
    const onOpen = vi.fn();
    render(
      <StoryOverlays
        overlays={[
          { type: 'mention', account_id: ines.id, x: 0.5, y: 0.4, rotation: -5 },
          { type: 'mention', account_id: 'gone', x: 0.1, y: 0.1 },
        ]}
        mentions={[ines]}
        onOpenAccount={onOpen}
      />,
    );
    const sticker = screen.getByRole('button', { name: '@ines' });
    expect(sticker.style.top).toBe('40%');
    expect(sticker.style.transform).toContain('rotate(-5deg)');
    expect(screen.getAllByRole('button')).toHaveLength(1);
    fireEvent.click(sticker);
    expect(onOpen).toHaveBeenCalledWith(ines);
  });

  it('keeps positions on the picture and drops colours that are not colours', () => {
    expect(toPercent(1.5)).toBe('100%');
    expect(toPercent(-1)).toBe('0%');
    expect(toPercent(Number.NaN)).toBe('50%');
    expect(toPercent(0.33333)).toBe('33.33%');
    expect(overlayPosition({ x: 0.5, y: 0.5, rotation: 9999, scale: 0 }).transform).toBe('translate(-50%, -50%) rotate(360deg) scale(0.1)');
    expect(safeColour('red; background: url(x)')).toBeUndefined();
    expect(safeColour('#12ab9f')).toBe('#12ab9f');
    expect(safeColour('transparent')).toBe('transparent');
  });
});
