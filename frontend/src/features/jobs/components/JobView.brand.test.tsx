import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, completeJob, makeImages } from '@/testing/fixtures';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';
import { orderImages } from './image-order';

const scores = [0.2, 0.9, null, 0.55];
const images = makeImages('b1', 4).map((image, i) => ({
  ...image,
  brand: scores[i] === null ? null : { score: scores[i]!, colors: [{ hex: '#1f4e9b', share: scores[i]! }] },
}));
const job = completeJob({ job_id: 'b1', prompt: 'Spring banner', images });

/** The seeds of the images in the grid, in the order shown. */
const shownSeeds = () =>
  within(screen.getByRole('list', { name: 'Images' }))
    .getAllByRole('link', { name: /^Download image/ })
    .map((link) => images.find((image) => image.download_url === link.getAttribute('href'))!.seed);

describe('brand scores on a job', () => {
  // Many steps in one test (sorting, the large view, back): more than the 5 s default on a loaded machine.
  it('shows each score beside its image and sorts by it, keeping the order otherwise; the large view follows', { timeout: 20_000 }, async () => {
    server.use(http.get(`${API}/jobs/b1`, () => HttpResponse.json(job)));
    const { user } = renderApp('/jobs/b1', { signedInAs: 'ada' });
    await screen.findByRole('img', { name: /^Image 1 of 4/ });
    expect(screen.getAllByText(/^On-brand colours:/).map((el) => el.textContent)).toEqual([
      'On-brand colours: 20%',
      'On-brand colours: 90%',
      'On-brand colours: 55%',
    ]);
    expect(shownSeeds()).toEqual([1234, 1235, 1236, 1237]);

    await user.selectOptions(screen.getByLabelText('Order images'), 'Most on-brand first');
    // 90%, 55%, 20%, then the image without a score.
    expect(shownSeeds()).toEqual([1235, 1237, 1234, 1236]);

    await user.click(screen.getByRole('img', { name: /^Image 1 of 4/ }));
    const dialog = screen.getByRole('dialog', { name: 'Image 1 of 4' });
    expect(within(dialog).getByText(/seed 1235/)).toBeInTheDocument();
    expect(within(dialog).getByText('On-brand colours: 90%')).toBeInTheDocument();
    await user.keyboard('{ArrowRight}');
    expect(within(screen.getByRole('dialog')).getByText(/seed 1237/)).toBeInTheDocument();
    await user.keyboard('{Escape}');

    await user.selectOptions(screen.getByLabelText('Order images'), 'As made');
    expect(shownSeeds()).toEqual([1234, 1235, 1236, 1237]);
  });

  it('offers no ordering when no image has a score', async () => {
    server.use(http.get(`${API}/jobs/b2`, () => HttpResponse.json(completeJob({ job_id: 'b2' }))));
    renderApp('/jobs/b2', { signedInAs: 'ada' });
    await screen.findByRole('img', { name: /^Image 1 of 4/ });
    expect(screen.queryByLabelText('Order images')).not.toBeInTheDocument();
    expect(screen.queryByText(/On-brand colours/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Content credentials/ })).not.toBeInTheDocument();
  });

  it('shows the content credentials badge on each signed image and in the large view', async () => {
    const credentials = {
      state: 'trusted' as const, generator: 'Brand Asset Generator 0.9.0', source_type: 'trainedAlgorithmicMedia',
      model: 'flux-demo', issuer: 'Local test CA',
    };
    const signed = completeJob({ job_id: 'b3', num_images: 2, images: makeImages('b3', 2).map((i) => ({ ...i, credentials })) });
    server.use(http.get(`${API}/jobs/b3`, () => HttpResponse.json(signed)));
    const { user } = renderApp('/jobs/b3', { signedInAs: 'ada' });
    await screen.findByRole('img', { name: /^Image 1 of 2/ });
    expect(screen.getAllByRole('button', { name: 'Content credentials: trusted' })).toHaveLength(2);
    await user.click(screen.getByRole('img', { name: /^Image 2 of 2/ }));
    const dialog = screen.getByRole('dialog', { name: 'Image 2 of 2' });
    await user.click(within(dialog).getByRole('button', { name: 'Content credentials: trusted' }));
    expect(within(dialog).getByText('Local test CA')).toBeVisible();
    // Escape in the badge closes its panel, not the large view.
    await user.keyboard('{Escape}');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });
});

describe('orderImages', () => {
  it('keeps the made order for equal scores', () => {
    const same = images.map((image) => ({ ...image, brand: { score: 0.5, colors: [] } }));
    expect(orderImages([...same].reverse(), 'brand').map((i) => i.index)).toEqual([0, 1, 2, 3]);
  });
});
