import { describe, expect, it } from 'vitest';
import { centredCrop, clampArea, croppedName, outputSize } from './crop-math.ts';

describe('crop math', () => {
  it('centres the largest area of the ratio in the photo', () => {
    expect(centredCrop(1200, 800, 1)).toEqual({ x: 200, y: 0, width: 800, height: 800 });
    expect(centredCrop(1000, 1000, 4 / 5)).toEqual({ x: 100, y: 0, width: 800, height: 1000 });
    const wide = centredCrop(1000, 1000, 3);
    expect(wide.x).toBe(0);
    expect(wide.width).toBe(1000);
    expect(wide.height).toBeCloseTo(1000 / 3);
    expect(wide.y).toBeCloseTo(1000 / 3);
  });

  it('rounds and keeps an area inside the photo', () => {
    expect(clampArea({ x: -0.4, y: 10.6, width: 800.7, height: 900 }, 800, 900)).toEqual({ x: 0, y: 11, width: 800, height: 889 });
  });

  it('scales the output down to the limit, keeping the ratio, never up', () => {
    expect(outputSize({ width: 4000, height: 5000 }, 1600, 2048)).toEqual({ width: 1600, height: 2000 });
    expect(outputSize({ width: 300, height: 300 }, 800)).toEqual({ width: 300, height: 300 });
    expect(outputSize({ width: 3000, height: 1000 }, 1500, 500)).toEqual({ width: 1500, height: 500 });
  });

  it('names the encoded file after the original', () => {
    expect(croppedName('holiday.png', 'image/jpeg')).toBe('holiday.jpg');
    expect(croppedName('x', 'image/webp')).toBe('x.webp');
  });
});
