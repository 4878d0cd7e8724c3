import type { components } from '@/api/schema';

/** What POST /generate takes; also what "Generate again" and "Same seed" carry to the form. */
export type GenerateBody = components['schemas']['GenerateRequest'];
export type AspectRatio = NonNullable<GenerateBody['aspect_ratio']>;
type JobSettings = Pick<
  components['schemas']['JobPublic'],
  'prompt' | 'style' | 'model' | 'aspect_ratio' | 'width' | 'height' | 'steps' | 'num_images' | 'seed'
>;

/** The longest prompt the API takes (GenerateRequest). */
export const PROMPT_MAX = 2000;

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

/**
 * What "Generate again" sends: the job's own settings, size and steps included, with a new seed
 * (none given); `keepSeed` repeats the seed too.
 */
export function rerunBody(job: JobSettings, { keepSeed = false } = {}): GenerateBody {
  const body: GenerateBody = {
    prompt: job.prompt,
    model: job.model,
    num_images: job.num_images,
    steps: job.steps,
    // A preset when the job used one; otherwise its exact size (HiDream's own sizes).
    ...(job.aspect_ratio ? { aspect_ratio: job.aspect_ratio } : { width: job.width, height: job.height }),
  };
  if (job.style) body.style = job.style;
  if (keepSeed) body.seed = job.seed;
  return body;
}

/** What the form is filled with ("Edit and generate", "Same seed"): it has presets, not sizes. */
export function formPrefill(job: JobSettings, seed: number | null): GenerateBody {
  return {
    prompt: job.prompt,
    style: job.style ?? null,
    model: job.model,
    // The preset the job used; a size that is none (HiDream's own sizes) gets the closest one.
    aspect_ratio: job.aspect_ratio ?? nearestAspectRatio(job.width, job.height),
    num_images: job.num_images,
    seed,
  };
}
