import { describe, expect, it } from 'vitest';
import { checkFields, fieldLabel, placeServerErrors, PROMPT_MAX } from './generate-fields';

describe('checkFields', () => {
  it('wants a prompt, within the limit counted as the API counts (an emoji is one)', () => {
    expect(checkFields({ prompt: '   ', seed: '' }).prompt).toMatch(/Write a prompt/);
    expect(checkFields({ prompt: '🚲'.repeat(PROMPT_MAX), seed: '' })).toEqual({});
    expect(checkFields({ prompt: 'a'.repeat(PROMPT_MAX + 3), seed: '' }).prompt).toBe(
      'The prompt is 3 characters too long.',
    );
  });

  it('takes a seed from 0 to 2^32 - 1, or none', () => {
    expect(checkFields({ prompt: 'x', seed: '4294967295' })).toEqual({});
    expect(checkFields({ prompt: 'x', seed: '4294967296' }).seed).toMatch(/whole number/);
    expect(checkFields({ prompt: 'x', seed: '-1' }).seed).toMatch(/whole number/);
  });
});

describe('placeServerErrors', () => {
  it('puts errors beside the fields shown and lists the rest', () => {
    const { placed, unplaced } = placeServerErrors(
      [
        { field: 'seed.0', message: 'Too big' },
        { field: 'seed', message: 'Second message' },
        { field: 'model', message: 'Unknown model' },
        { field: 'steps', message: 'Too many steps' },
      ],
      (field) => field !== 'model',
    );
    expect(placed).toEqual({ seed: 'Too big' });
    expect(unplaced.map((f) => `${fieldLabel(f.field)}: ${f.message}`)).toEqual([
      'Model: Unknown model',
      'Steps: Too many steps',
    ]);
  });
});
