import { describe, expect, it } from 'vitest';
import { aspectRatio, filterCss, limitsFor, reorder } from './photo-edits.ts';

describe('photo edits', () => {
  it('offers 1:1, 4:5 and 1.91:1 and sizes each with the long side at 2048', () => {
    expect([aspectRatio('square'), aspectRatio('portrait'), aspectRatio('landscape')]).toEqual([1, 0.8, 1.91]);
    expect(limitsFor(0.8)).toEqual({ maxWidth: 1638, maxHeight: 2048 });
    expect(limitsFor(1.91)).toEqual({ maxWidth: 2048, maxHeight: 1072 });
  });

  it('turns a chosen filter into the CSS filter drawn on the canvas', () => {
    expect(filterCss('normal')).toBe('none');
    expect(filterCss('mono')).toContain('grayscale(1)');
  });

  it('moves a dragged item to the place it was dropped', () => {
    expect(reorder(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(reorder(['a', 'b', 'c'], 0, 9)).toEqual(['b', 'c', 'a']);
  });
});
