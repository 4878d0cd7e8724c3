import type { components } from '@/api/schema';

/** What POST /generate takes; also what "Generate again" and "Same seed" carry to the form. */
export type GenerateBody = components['schemas']['GenerateRequest'];
export type AspectRatio = NonNullable<GenerateBody['aspect_ratio']>;

export const ASPECT_RATIOS: { value: AspectRatio; label: string; w: number; h: number }[] = [
  { value: '1:1', label: 'Square', w: 1, h: 1 },
  { value: '4:5', label: 'Portrait', w: 4, h: 5 },
  { value: '3:2', label: 'Landscape', w: 3, h: 2 },
  { value: '16:9', label: 'Wide', w: 16, h: 9 },
  { value: '9:16', label: 'Tall', w: 9, h: 16 },
];

/** The preset closest to an image size (jobs record width and height, not the preset). */
export function nearestAspectRatio(width: number, height: number): AspectRatio {
  const ratio = Math.log(width / height);
  let best = ASPECT_RATIOS[0]!;
  for (const preset of ASPECT_RATIOS) {
    if (Math.abs(Math.log(preset.w / preset.h) - ratio) < Math.abs(Math.log(best.w / best.h) - ratio)) {
      best = preset;
    }
  }
  return best.value;
}

/** Router state that takes someone to the form with settings filled in. */
export type PrefillState = { prefill: GenerateBody };

export function isPrefillState(value: unknown): value is PrefillState {
  return !!value && typeof value === 'object' && 'prefill' in value && !!(value as PrefillState).prefill;
}
