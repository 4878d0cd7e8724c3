import { describe, expect, it } from 'vitest';
import { thumbnailWidth, withParam } from './status-text';

describe('image links', () => {
  it('knows the width of the WebP copy: 512 px on the longest side, never wider than the image', () => {
    expect(thumbnailWidth(1024, 1024)).toBe(512);
    expect(thumbnailWidth(1344, 768)).toBe(512);
    expect(thumbnailWidth(768, 1344)).toBe(293);
    expect(thumbnailWidth(896, 1152)).toBe(398);
    expect(thumbnailWidth(256, 320)).toBe(256);
  });

  it('adds a parameter without touching the signature', () => {
    const url = withParam('https://api.example.com/images/j/0.webp?expires=9&sig=a%2Bb', 'width', '160');
    const parsed = new URL(url);
    expect(parsed.searchParams.get('sig')).toBe('a+b');
    expect(parsed.searchParams.get('expires')).toBe('9');
    expect(parsed.searchParams.get('width')).toBe('160');
  });
});
