import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, completeJob, makeImages, makeJob } from '../testing/fixtures';
import { serveImageBytes, serveJob } from '../testing/jobs';
import { renderPlugin, sendFromMain } from '../testing/plugin';
import { server } from '../testing/server';

const LONG_PROMPT =
  'A red bicycle leaning on a white wall on a sunny beach in the late afternoon, long shadows, film grain';

/** Generates a job that is already complete, with two 1536 × 1024 images. */
async function generateTwoImages() {
  const job = makeJob({ prompt: LONG_PROMPT });
  const done = completeJob({
    job_id: job.job_id,
    prompt: LONG_PROMPT,
    images: makeImages(job.job_id, 2, { width: 1536, height: 1024 }),
  });
  serveJob([done]);
  const plugin = renderPlugin();
  await plugin.user.type(await screen.findByLabelText('Prompt'), LONG_PROMPT);
  const form = screen.getByRole('form', { name: 'Generate images' });
  await plugin.user.click(within(form).getByRole('button', { name: 'Generate' }));
  await screen.findByText('2 images ready');
  return plugin;
}

describe('Results', () => {
  it('shows each image as a thumbnail of its WebP copy', async () => {
    await generateTwoImages();
    const first = screen.getByRole('button', { name: 'Place image 1 of 2' });
    expect(first.querySelector('img')).toHaveAttribute('src', expect.stringMatching(/\/images\/.+\/0\.webp\?/));
  });

  it('clicking one downloads its full PNG and asks main to place it, named after the prompt', async () => {
    const downloads = serveImageBytes((index) => [137, 80, 78, 71, index]);
    const { user, sent } = await generateTwoImages();

    await user.click(screen.getByRole('button', { name: 'Place image 2 of 2' }));

    expect(await screen.findByText('Placing 1 image…')).toBeInTheDocument();
    expect(downloads).toEqual([expect.stringMatching(/\/images\/.+\/1\.png\?expires=/)]);
    const [place] = sent('place');
    expect(place?.name).toBe('A red bicycle leaning on a white wall on a sunny beach in…');
    expect(place?.images).toHaveLength(1);
    expect(place?.images[0]).toMatchObject({ width: 1536, height: 1024 });
    expect(Array.from(place!.images[0]!.bytes)).toEqual([137, 80, 78, 71, 1]);
  });

  it('Place all sends every image in one message, and says where main put them', async () => {
    serveImageBytes((index) => [index, index, index]);
    const { user, sent } = await generateTwoImages();

    await user.click(screen.getByRole('button', { name: 'Place all' }));

    await screen.findByText('Placing 2 images…');
    const [place] = sent('place');
    expect(place?.images.map((image) => Array.from(image.bytes))).toEqual([
      [0, 0, 0],
      [1, 1, 1],
    ]);
    // Busy until main answers: no second placement meanwhile.
    expect(screen.getByRole('button', { name: 'Place all' })).toBeDisabled();

    sendFromMain({ type: 'placed', count: 2, into: 'selection' });

    expect(screen.getByText('Placed 2 images into the selection.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Place all' })).toBeEnabled();
  });

  it('shows what main says when it cannot place an image', async () => {
    serveImageBytes(() => [1]);
    const { user } = await generateTwoImages();
    await user.click(screen.getByRole('button', { name: 'Place image 1 of 2' }));
    await screen.findByText('Placing 1 image…');

    sendFromMain({ type: 'place-failed', message: 'The image is larger than Figma allows (4096 px a side).' });

    expect(screen.getByText('The image is larger than Figma allows (4096 px a side).')).toBeInTheDocument();
  });

  it('says an expired image link needs a fresh job page, and places nothing', async () => {
    server.use(http.get(`${API}/images/:jobId/:file`, () => new HttpResponse(null, { status: 403 })));
    const { user, sent } = await generateTwoImages();

    await user.click(screen.getByRole('button', { name: 'Place image 1 of 2' }));

    expect(await screen.findByText(/The image link has expired/)).toBeInTheDocument();
    expect(sent('place')).toEqual([]);
  });
});
