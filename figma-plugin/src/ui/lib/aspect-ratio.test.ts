import { describe, expect, it } from 'vitest';
import { nearestAspectRatio } from './aspect-ratio';

describe('nearestAspectRatio', () => {
  it.each([
    [1000, 1000, '1:1'],
    [1080, 1350, '4:5'],
    [1500, 1000, '3:2'],
    [1920, 1080, '16:9'],
    [1080, 1920, '9:16'],
    // Between presets: the nearest on a log scale.
    [1200, 1000, '1:1'],
    [1300, 1000, '3:2'],
    [3000, 1000, '16:9'],
    [100, 1000, '9:16'],
  ] as const)('%i × %i is %s', (width, height, expected) => {
    expect(nearestAspectRatio(width, height)).toBe(expected);
  });

  it('is square when nothing (or a flat line) is selected', () => {
    expect(nearestAspectRatio(null, null)).toBe('1:1');
    expect(nearestAspectRatio(400, 0)).toBe('1:1');
  });
});
