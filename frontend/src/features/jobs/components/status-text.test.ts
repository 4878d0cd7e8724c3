import { describe, expect, it } from 'vitest';
import { makeJob } from '@/testing/fixtures';
import { shortPrompt, statusDetail, statusWord, thumbnailWidth } from './status-text';

describe('image links', () => {
  it('knows the width of the WebP copy: 512 px on the longest side, never wider than the image', () => {
    expect(thumbnailWidth(1024, 1024)).toBe(512);
    expect(thumbnailWidth(1344, 768)).toBe(512);
    expect(thumbnailWidth(768, 1344)).toBe(293);
    expect(thumbnailWidth(896, 1152)).toBe(398);
    expect(thumbnailWidth(256, 320)).toBe(256);
  });
});

describe('where a job is', () => {
  it('says a job handed to the GPU but not rendering is waiting for it, with the images ahead, not "Step 0"', () => {
    const waiting = makeJob({ status: 'running', phase: 'waiting_for_gpu', progress: { step: 0, total: 4 }, images_ahead: 12 });
    expect(statusWord(waiting)).toBe('Waiting for the GPU');
    expect(statusDetail(waiting)).toBe('12 images ahead');
    expect(statusDetail({ ...waiting, images_ahead: 1 })).toBe('1 image ahead');
    expect(statusDetail({ ...waiting, images_ahead: 0 })).toBe('Yours are next');
    expect(statusDetail({ ...waiting, images_ahead: null })).toBeNull();
  });

  it('says a queued job has its place in the queue', () => {
    const queued = makeJob({ status: 'queued', phase: 'queued', queue_position: 2, images_ahead: 9 });
    expect(statusWord(queued)).toBe('Queued');
    expect(statusDetail(queued)).toBe('2 jobs ahead of yours');
    expect(statusDetail({ ...queued, queue_position: 0 })).toBe('Next in line');
  });

  it('says the step once the job renders', () => {
    const rendering = makeJob({ status: 'running', phase: 'rendering', progress: { step: 3, total: 4 } });
    expect(statusWord(rendering)).toBe('Running');
    expect(statusDetail(rendering)).toBe('Step 3 of 4');
  });

  it('goes by the status once the job has ended, whatever phase was sent', () => {
    expect(statusWord(makeJob({ status: 'complete', phase: 'waiting_for_gpu' }))).toBe('Complete');
  });
});

describe('short prompts', () => {
  it('keeps a short prompt whole and cuts a long one at a word, with an ellipsis', () => {
    expect(shortPrompt('  A red   bicycle ')).toBe('A red bicycle');
    const long = 'A product shot of our new water bottle on a mossy rock in the morning light, with fog';
    const short = shortPrompt(long);
    expect(short).toBe('A product shot of our new water bottle on a mossy rock in…');
    expect(short.length).toBeLessThanOrEqual(60);
    expect(shortPrompt('x'.repeat(100))).toBe(`${'x'.repeat(59)}…`);
    // A last word that ends right at the limit is kept.
    expect(shortPrompt('A lighthouse on a cliff above a stormy sea at dusk, painted in thick oil strokes')).toBe(
      'A lighthouse on a cliff above a stormy sea at dusk, painted…',
    );
  });
});
