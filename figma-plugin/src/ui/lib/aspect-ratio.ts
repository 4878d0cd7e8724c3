import type { AspectRatio } from '../api/client';

/** The API's presets (GenerateRequest.aspect_ratio), each about one megapixel. */
export const ASPECT_RATIOS: { value: AspectRatio; label: string; w: number; h: number }[] = [
  { value: '1:1', label: 'Square', w: 1, h: 1 },
  { value: '4:5', label: 'Portrait', w: 4, h: 5 },
  { value: '3:2', label: 'Landscape', w: 3, h: 2 },
  { value: '16:9', label: 'Wide', w: 16, h: 9 },
  { value: '9:16', label: 'Tall', w: 9, h: 16 },
];

export const DEFAULT_ASPECT_RATIO: AspectRatio = '1:1';

/**
 * The preset closest to a shape, compared on a log scale so that 2:1 and 1:2 are equally far from
 * square; the default when there is no shape (nothing selected, or a line of no height).
 */
export function nearestAspectRatio(width: number | null, height: number | null): AspectRatio {
  if (!width || !height || width <= 0 || height <= 0) return DEFAULT_ASPECT_RATIO;
  const ratio = Math.log(width / height);
  let best = ASPECT_RATIOS[0]!;
  for (const preset of ASPECT_RATIOS) {
    if (Math.abs(Math.log(preset.w / preset.h) - ratio) < Math.abs(Math.log(best.w / best.h) - ratio)) {
      best = preset;
    }
  }
  return best.value;
}
