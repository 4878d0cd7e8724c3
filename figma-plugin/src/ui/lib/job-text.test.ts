import { describe, expect, it } from 'vitest';
import { completeJob, makeJob } from '../testing/fixtures';
import { progressText, shortPrompt } from './job-text';

describe('progressText', () => {
  it('says the place in the queue', () => {
    expect(progressText(makeJob({ queue_position: 0 }))).toBe('Queued · Next in line');
    expect(progressText(makeJob({ queue_position: 1 }))).toBe('Queued · 1 job ahead of yours');
  });

  it('says how many images the GPU makes first', () => {
    const job = makeJob({ status: 'running', phase: 'waiting_for_gpu', images_ahead: 1 });
    expect(progressText(job)).toBe('Waiting for the GPU · 1 image ahead');
    expect(progressText({ ...job, images_ahead: 0 })).toBe('Waiting for the GPU · Yours are next');
  });

  it('says the step while rendering', () => {
    const job = makeJob({ status: 'running', phase: 'rendering', progress: null });
    expect(progressText(job)).toBe('Starting the model…');
    expect(progressText({ ...job, progress: { step: 3, total: 28 } })).toBe('Step 3 of 28');
  });

  it('says how many images are ready', () => {
    expect(progressText(completeJob({ num_images: 1 }))).toBe('1 image ready');
  });
});

describe('shortPrompt', () => {
  it('keeps a short prompt whole and cuts a long one at a word', () => {
    expect(shortPrompt('  A red   bicycle ')).toBe('A red bicycle');
    expect(shortPrompt('one two three four five', 14)).toBe('one two three…');
  });
});
