import { act, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { makeAccount, makeMedia } from '../test/fixtures.ts';
import { Carousel } from './carousel.tsx';

const ines = makeAccount('ines', { id: '2' });
const photos = [
  makeMedia('m1', { description: 'The cake' }),
  makeMedia('m2', { description: 'Dancing', glimpse: { tags: [{ account: ines, x: 0.25, y: 0.75 }] } }),
  makeMedia('m3', { description: 'Fireworks' }),
];

function renderCarousel(onDoubleTap?: () => void, media = photos) {
  return render(
    <MemoryRouter>
      <Carousel media={media} label="Photos by Mara" onDoubleTap={onDoubleTap} />
    </MemoryRouter>,
  );
}

/** The photo on show: the only image not hidden from assistive technology. */
const shownPhoto = () => screen.getByRole('img', { name: /cake|dancing|fireworks/i });

describe('Carousel', () => {
  it('shows one photo at a time with its alt text, and moves with the Previous/Next buttons', () => {
    renderCarousel();
    expect(shownPhoto().getAttribute('alt')).toBe('The cake');
    expect(screen.getByRole('img', { name: 'Photo 1 of 3' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Previous photo' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Next photo' }));
    expect(shownPhoto().getAttribute('alt')).toBe('Dancing');
    expect(screen.getByRole('img', { name: 'Photo 2 of 3' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Next photo' }));
    expect(shownPhoto().getAttribute('alt')).toBe('Fireworks');
    expect(screen.getByRole('img', { name: 'Photo 3 of 3' })).toBeTruthy();
    // At the end the Next button goes, and focus stays in the carousel.
    expect(screen.queryByRole('button', { name: 'Next photo' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('region', { name: 'Photos by Mara' }));

    fireEvent.click(screen.getByRole('button', { name: 'Previous photo' }));
    expect(screen.getByRole('img', { name: 'Photo 2 of 3' })).toBeTruthy();
  });

  it('moves with ArrowLeft and ArrowRight while focused, stopping at either end', () => {
    renderCarousel();
    const region = screen.getByRole('region', { name: 'Photos by Mara' });
    expect(region.getAttribute('tabindex')).toBe('0');
    expect(region.getAttribute('aria-roledescription')).toBe('carousel');

    fireEvent.keyDown(region, { key: 'ArrowLeft' });
    expect(screen.getByRole('img', { name: 'Photo 1 of 3' })).toBeTruthy();
    fireEvent.keyDown(region, { key: 'ArrowRight' });
    fireEvent.keyDown(region, { key: 'ArrowRight' });
    fireEvent.keyDown(region, { key: 'ArrowRight' });
    expect(screen.getByRole('img', { name: 'Photo 3 of 3' })).toBeTruthy();
    expect(shownPhoto().getAttribute('alt')).toBe('Fireworks');
    fireEvent.keyDown(region, { key: 'ArrowLeft' });
    expect(screen.getByRole('img', { name: 'Photo 2 of 3' })).toBeTruthy();
    expect(screen.getByText('Showing photo 2 of 3')).toBeTruthy();
  });

  it('has one dot per photo, the current one marked', () => {
    const { container } = renderCarousel();
    fireEvent.click(screen.getByRole('button', { name: 'Next photo' }));
    const dots = container.querySelectorAll('.carousel-dot');
    expect(dots).toHaveLength(3);
    expect(Array.from(dots).map((d) => d.classList.contains('is-current'))).toEqual([false, true, false]);
  });

  it('turns the page on a horizontal swipe and not on a vertical one', () => {
    const { container } = renderCarousel();
    const frame = container.querySelector('.carousel-frame')!;
    const swipe = (from: [number, number], to: [number, number]) => {
      fireEvent.touchStart(frame, { touches: [{ clientX: from[0], clientY: from[1] }] });
      fireEvent.touchMove(frame, { touches: [{ clientX: to[0], clientY: to[1] }] });
      fireEvent.touchEnd(frame, { changedTouches: [{ clientX: to[0], clientY: to[1] }] });
    };
    swipe([300, 100], [150, 110]);
    expect(screen.getByRole('img', { name: 'Photo 2 of 3' })).toBeTruthy();
    swipe([150, 100], [160, 300]);
    expect(screen.getByRole('img', { name: 'Photo 2 of 3' })).toBeTruthy();
    swipe([100, 100], [250, 100]);
    expect(screen.getByRole('img', { name: 'Photo 1 of 3' })).toBeTruthy();
  });

  it('shows the people tagged on a photo with the Show tags toggle, at their spot', () => {
    renderCarousel();
    expect(screen.queryByRole('button', { name: 'Show tags' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Next photo' }));
    const toggle = screen.getByRole('button', { name: 'Show tags' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    const tag = screen.getByRole('link', { name: 'ines' });
    expect(tag.getAttribute('href')).toBe('/@ines');
    expect((tag.parentElement as HTMLElement).style.left).toBe('25%');
    expect((tag.parentElement as HTMLElement).style.top).toBe('75%');

    fireEvent.click(toggle);
    expect(screen.queryByRole('link', { name: 'ines' })).toBeNull();
  });

  it('shows tags on a single tap of the photo', async () => {
    vi.useFakeTimers();
    try {
      const { container } = renderCarousel(vi.fn());
      fireEvent.click(screen.getByRole('button', { name: 'Next photo' }));
      fireEvent.click(container.querySelector('.carousel-track')!);
      expect(screen.queryByRole('link', { name: 'ines' })).toBeNull();
      await act(async () => {
        vi.advanceTimersByTime(400);
      });
      expect(screen.getByRole('link', { name: 'ines' })).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('calls onDoubleTap on a double tap and shows the heart', () => {
    const onDoubleTap = vi.fn();
    const { container } = renderCarousel(onDoubleTap);
    const track = container.querySelector('.carousel-track')!;
    fireEvent.click(track);
    expect(onDoubleTap).not.toHaveBeenCalled();
    fireEvent.click(track);
    expect(onDoubleTap).toHaveBeenCalledTimes(1);
    expect(container.querySelector('.carousel-heart')).not.toBeNull();
  });

  it('offers every JPEG size of a photo as a srcset, built from its URL template', () => {
    const signed = makeMedia('m9', {
      description: 'Signed',
      glimpse: {
        url_template: 'http://glimpse.test/media/k9/{name}.{format}?exp=1&sig=s',
        sizes: [
          { name: 'w1080', width: 1080, height: 810 },
          { name: 'w320', width: 320, height: 240 },
          { name: 'w640', width: 640, height: 480 },
        ],
        formats: ['jpg', 'webp'],
      },
    });
    renderCarousel(undefined, [signed]);
    expect(screen.getByRole('img', { name: 'Signed' }).getAttribute('srcset')).toBe(
      'http://glimpse.test/media/k9/w320.jpg?exp=1&sig=s 320w, http://glimpse.test/media/k9/w640.jpg?exp=1&sig=s 640w, http://glimpse.test/media/k9/w1080.jpg?exp=1&sig=s 1080w',
    );
  });

  it('has no buttons or dots for a single photo', () => {
    renderCarousel(undefined, [photos[0]]);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.queryByRole('img', { name: /Photo 1 of/ })).toBeNull();
    expect(shownPhoto().getAttribute('alt')).toBe('The cake');
  });
});
