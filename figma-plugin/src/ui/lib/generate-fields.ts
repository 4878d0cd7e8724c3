import type { FieldError } from '../api/api-error';

/** The form's fields by the API's names, in the order they appear (the first with an error gets focus). */
export const FIELDS = ['prompt', 'style', 'model', 'aspect_ratio', 'num_images', 'seed'] as const;
export type Field = (typeof FIELDS)[number];
export type FieldErrors = Partial<Record<Field, string>>;

/** The longest prompt the API takes (GenerateRequest), in code points after NFC as the API counts. */
export const PROMPT_MAX = 2000;
const MAX_SEED = 4294967295;

export function promptLength(prompt: string): number {
  return [...prompt.trim().normalize('NFC')].length;
}

/** What can be said before asking the API: an empty or too long prompt, a seed that is not one. */
export function checkFields({ prompt, seed }: { prompt: string; seed: string }): FieldErrors {
  const errors: FieldErrors = {};
  const length = promptLength(prompt);
  if (length === 0) errors.prompt = 'Write a prompt: what should the images show?';
  else if (length > PROMPT_MAX) errors.prompt = `The prompt is ${length - PROMPT_MAX} characters too long.`;
  const s = seed.trim();
  if (s && (!/^\d+$/.test(s) || Number(s) > MAX_SEED)) {
    errors.seed = `A seed is a whole number from 0 to ${MAX_SEED}, or leave it empty for a random one.`;
  }
  return errors;
}

export function firstInvalid(errors: FieldErrors): Field | undefined {
  return FIELDS.find((f) => errors[f]);
}

/**
 * A 400's field errors: those of a field the form shows go beside it (`seed`, not `seed.0`), the
 * rest (a hidden Model field, fields the panel does not offer) are listed with the message.
 */
export function placeServerErrors(
  fields: FieldError[],
  shown: (field: Field) => boolean,
): { placed: FieldErrors; unplaced: FieldError[] } {
  const placed: FieldErrors = {};
  const unplaced: FieldError[] = [];
  for (const f of fields) {
    const field = f.field.split('.')[0] as Field;
    if (FIELDS.includes(field) && shown(field)) placed[field] ??= f.message;
    else unplaced.push(f);
  }
  return { placed, unplaced };
}

const FIELD_LABELS: Record<string, string> = { model: 'Model', steps: 'Steps', width: 'Width', height: 'Height' };

/** How an error listed above the form (not beside a field) names its field. */
export function fieldLabel(field: string): string {
  const top = field.split('.')[0]!;
  return FIELD_LABELS[top] ?? top;
}
