import { describe, expect, it } from 'vitest';
import { thumbnailWidth } from './status-text';

describe('image links', () => {
  it('knows the width of the WebP copy: 512 px on the longest side, never wider than the image', () => {
    expect(thumbnailWidth(1024, 1024)).toBe(512);
    expect(thumbnailWidth(1344, 768)).toBe(512);
    expect(thumbnailWidth(768, 1344)).toBe(293);
    expect(thumbnailWidth(896, 1152)).toBe(398);
    expect(thumbnailWidth(256, 320)).toBe(256);
  });
});
