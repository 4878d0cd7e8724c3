import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, completeJob, makeJob, makeSasImages, realModel, sd35Model } from '@/testing/fixtures';
import { jobListServer } from '@/testing/jobs';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

/** `total` jobs, newest first: every third complete (4 images), the others failed or cancelled. */
function historyOf(total: number) {
  return Array.from({ length: total }, (_, i) =>
    i % 3 === 0
      ? completeJob({ job_id: `h${i}`, prompt: `Prompt number ${i}` })
      : makeJob({ job_id: `h${i}`, prompt: `Prompt number ${i}`, status: i % 3 === 1 ? 'failed' : 'cancelled', queue_position: null }),
  );
}

const gallery = () => screen.getByRole('list', { name: 'Jobs' });
const cards = () => within(gallery()).getAllByRole('listitem');

describe('history gallery', () => {
  it("shows every image of each job in the job's shape, with what the job was and a link to it", async () => {
    const wide = completeJob({
      job_id: 'wide',
      prompt: 'A lighthouse at dusk',
      style: 'acme-flat',
      model: 'flux-dev',
      width: 1344,
      height: 768,
      created_at: '2026-03-01T09:30:00Z',
      images: makeSasImages('wide', 3, { width: 1344, height: 768 }).reverse(),
    });
    const list = jobListServer([wide]);
    server.use(list.handler);
    renderApp('/jobs', { signedInAs: 'ada' });

    expect(await screen.findByText('1 job')).toBeInTheDocument();
    const card = cards()[0]!;
    // All three images, in their order, not one thumbnail standing for the job.
    const images = within(card).getAllByRole('img');
    expect(images.map((img) => img.getAttribute('alt'))).toEqual([
      'Image 1 of 3: A lighthouse at dusk',
      'Image 2 of 3: A lighthouse at dusk',
      'Image 3 of 3: A lighthouse at dusk',
    ]);
    const first = wide.images!.find((image) => image.index === 0)!;
    // The API's links byte for byte; the 160-pixel copy for small tiles, the 512 one for large.
    expect(images[0]).toHaveAttribute('src', first.small_thumbnail_url);
    expect(images[0]).toHaveAttribute('srcset', `${first.small_thumbnail_url} 160w, ${first.thumbnail_url} 512w`);
    expect(images[0]).toHaveAttribute('loading', 'lazy');
    // The box has the image's shape before any bytes arrive.
    expect(images[0]).toHaveAttribute('width', '1344');
    expect(images[0]).toHaveAttribute('height', '768');
    expect(images[0]!.closest('button')).toHaveStyle({ aspectRatio: '1344 / 768' });

    expect(card).toHaveTextContent('3 images · acme-flat · flux-dev');
    expect(within(card).getByRole('time')).toHaveAttribute('dateTime', '2026-03-01T09:30:00Z');
    expect(within(card).getByRole('link', { name: 'A lighthouse at dusk' })).toHaveAttribute('href', '/jobs/wide');
    // One request for a whole gallery page.
    expect(list.requests[0]!.get('limit')).toBe('100');
    expect(list.requests[0]!.get('offset')).toBe('0');
  });

  it('gives jobs without images a tile saying where they are', async () => {
    const jobs = [
      makeJob({ job_id: 'q', prompt: 'Queued one', status: 'queued', phase: 'queued', images_ahead: null, num_images: 2 }),
      makeJob({ job_id: 'w', prompt: 'Waiting one', status: 'running', phase: 'waiting_for_gpu', images_ahead: null, queue_position: null }),
      makeJob({ job_id: 'r', prompt: 'Rendering one', status: 'running', phase: 'rendering', progress: { step: 3, total: 28 } }),
      makeJob({ job_id: 'f', prompt: 'Failed one', status: 'failed', phase: 'finished', error: 'The model ran out of memory.' }),
      makeJob({ job_id: 'c', prompt: 'Cancelled one', status: 'cancelled', phase: 'finished' }),
    ];
    server.use(jobListServer(jobs).handler);
    renderApp('/jobs', { signedInAs: 'ada' });
    await screen.findByText('5 jobs');
    const [queued, waiting, rendering, failed, cancelled] = cards();
    expect(queued).toHaveTextContent(/Queued\s*Waiting in the queue/);
    expect(queued).toHaveTextContent('2 images · flux-demo');
    expect(waiting).toHaveTextContent(/Running\s*Waiting for the GPU/);
    expect(rendering).toHaveTextContent(/Running\s*Step 3 of 28/);
    expect(failed).toHaveTextContent(/Failed\s*The model ran out of memory\./);
    expect(cancelled).toHaveTextContent(/Cancelled\s*No images were made\./);
    for (const card of cards()) expect(within(card).queryByRole('img')).toBeNull();
  });

  it('opens an image large from the gallery, and the job from its prompt', async () => {
    const job = completeJob({ job_id: 'j1', prompt: 'Red kite' });
    server.use(
      jobListServer([job]).handler,
      http.get(`${API}/jobs/j1`, () => HttpResponse.json(job)),
    );
    const { user, location } = renderApp('/jobs', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('button', { name: 'Image 2 of 4: Red kite' }));
    const dialog = await screen.findByRole('dialog', { name: 'Image 2 of 4' });
    expect(within(dialog).getByRole('img')).toHaveAttribute('src', job.images![1]!.url);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();

    await user.click(screen.getByRole('link', { name: 'Red kite' }));
    await waitFor(() => expect(location()).toBe('/jobs/j1'));
  });

  it('pages 100 jobs at a time, with the page in the URL', async () => {
    const list = jobListServer(historyOf(150));
    server.use(list.handler);
    const { user, location } = renderApp('/jobs', { signedInAs: 'ada' });

    expect(await screen.findByText('150 jobs, page 1 of 2')).toBeInTheDocument();
    expect(cards()).toHaveLength(100);
    expect(screen.getByRole('button', { name: 'Newer' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('150 jobs, page 2 of 2')).toBeInTheDocument();
    expect(location()).toBe('/jobs?page=2');
    expect(list.requests.at(-1)!.get('offset')).toBe('100');
    expect(cards()).toHaveLength(50);
    expect(cards()[0]).toHaveTextContent('Prompt number 100');
    // The last page turned Older off: focus is on what the page shows, not lost.
    expect(screen.getByText('150 jobs, page 2 of 2')).toHaveFocus();
  });

  it('says when there are no jobs yet', async () => {
    renderApp('/jobs', { signedInAs: 'ada' });
    expect(await screen.findByText('No jobs yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Make your first images' })).toBeInTheDocument();
    expect(screen.queryByRole('search')).toBeNull();
  });
});

describe('history filters', () => {
  const jobs = [
    completeJob({ job_id: 'a', prompt: 'Sunny beach with umbrellas', style: 'acme-flat', model: 'flux-dev', created_at: '2026-03-02T12:00:00Z' }),
    makeJob({ job_id: 'b', prompt: 'Snowy mountain cabin', style: null, model: 'sd35-large', status: 'failed', created_at: '2026-02-20T12:00:00Z' }),
    completeJob({ job_id: 'c', prompt: 'Sunset over the city', style: 'acme-photo-sd', model: 'sd35-large', created_at: '2026-01-05T12:00:00Z' }),
  ];
  const withModels = http.get(`${API}/models`, () => HttpResponse.json([realModel, sd35Model]));
  const prompts = () => cards().map((card) => within(card).getAllByRole('link').at(-1)!.textContent);

  it('narrows by style, model and status, keeping each choice in the URL and sending it to the API', async () => {
    const list = jobListServer(jobs);
    server.use(list.handler, withModels);
    const { user, location } = renderApp('/jobs', { signedInAs: 'ada' });
    await screen.findByText('3 jobs');

    // The choices are the server's styles and models.
    await screen.findByRole('option', { name: 'acme-flat' });
    await screen.findByRole('option', { name: 'sd35-large' });
    await user.selectOptions(screen.getByLabelText('Style'), 'acme-flat');
    expect(await screen.findByText('1 job matches')).toBeInTheDocument();
    expect(prompts()).toEqual(['Sunny beach with umbrellas']);
    expect(location()).toBe('/jobs?style=acme-flat');
    expect(list.requests.at(-1)!.get('style')).toBe('acme-flat');

    await user.selectOptions(screen.getByLabelText('Style'), '');
    await user.selectOptions(screen.getByLabelText('Model'), 'sd35-large');
    expect(await screen.findByText('2 jobs match')).toBeInTheDocument();
    expect(location()).toBe('/jobs?model=sd35-large');

    await user.click(screen.getByRole('checkbox', { name: 'Failed' }));
    await user.click(screen.getByRole('checkbox', { name: 'Cancelled' }));
    expect(await screen.findByText('1 job matches')).toBeInTheDocument();
    expect(prompts()).toEqual(['Snowy mountain cabin']);
    expect(location()).toBe('/jobs?model=sd35-large&status=failed&status=cancelled');
    expect(list.requests.at(-1)!.getAll('status')).toEqual(['failed', 'cancelled']);
  });

  it('sends From and To as whole local days, with the time zone', async () => {
    const list = jobListServer(jobs);
    server.use(list.handler);
    const { user, location } = renderApp('/jobs', { signedInAs: 'ada' });
    await screen.findByText('3 jobs');

    // A date input takes its value as typed text in jsdom; a browser's picker gives the same ISO day.
    await user.type(screen.getByLabelText('From'), '2026-02-01');
    await user.type(screen.getByLabelText('To'), '2026-03-01');
    await waitFor(() => expect(location()).toBe('/jobs?from=2026-02-01&to=2026-03-01'));
    const sent = list.requests.at(-1)!;
    const withZone = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;
    expect(sent.get('created_after')).toMatch(withZone);
    expect(sent.get('created_before')).toMatch(withZone);
    // From is the first moment of that local day; To ends at the first moment of the next.
    expect(Date.parse(sent.get('created_after')!)).toBe(new Date(2026, 1, 1).getTime());
    expect(Date.parse(sent.get('created_before')!)).toBe(new Date(2026, 2, 2).getTime());
    expect(await screen.findByText('1 job matches')).toBeInTheDocument();
    expect(prompts()).toEqual(['Snowy mountain cabin']);
  });

  it('searches prompts once typing pauses, not on every key', async () => {
    const list = jobListServer(jobs);
    server.use(list.handler);
    const { user, location } = renderApp('/jobs', { signedInAs: 'ada' });
    await screen.findByText('3 jobs');

    await user.type(screen.getByRole('searchbox', { name: 'Search your prompts' }), 'sun');
    expect(await screen.findByText('2 jobs match')).toBeInTheDocument();
    expect(prompts()).toEqual(['Sunny beach with umbrellas', 'Sunset over the city']);
    expect(location()).toBe('/jobs?q=sun');
    // One search for the word, not one for "s", "su" and "sun".
    expect(list.requests.map((params) => params.get('q'))).toEqual([null, 'sun']);

    await user.type(screen.getByRole('searchbox'), ' bea');
    expect(await screen.findByText('1 job matches')).toBeInTheDocument();
    expect(location()).toBe('/jobs?q=sun+bea');
  });

  it('keeps a space typed after a word while that word is being searched', async () => {
    const list = jobListServer(jobs);
    server.use(list.handler);
    const { user, location } = renderApp('/jobs', { signedInAs: 'ada' });
    await screen.findByText('3 jobs');
    const box = screen.getByRole('searchbox', { name: 'Search your prompts' });

    // "sun " waits out the pause: "sun" is searched, and the space must still be in the box.
    await user.type(box, 'sun ');
    await waitFor(() => expect(location()).toBe('/jobs?q=sun'));
    expect(await screen.findByText('2 jobs match')).toBeInTheDocument();
    expect(box).toHaveValue('sun ');
    await user.type(box, 'bea');
    expect(box).toHaveValue('sun bea');
    await waitFor(() => expect(location()).toBe('/jobs?q=sun+bea'));
  });

  it('opens with the filters the URL holds, and clears them all', async () => {
    const list = jobListServer(jobs);
    server.use(list.handler);
    const { user, location } = renderApp('/jobs?q=sun&style=acme-photo-sd&status=complete', { signedInAs: 'ada' });

    expect(await screen.findByText('1 job matches')).toBeInTheDocument();
    expect(list.requests[0]!.toString()).toBe('q=sun&style=acme-photo-sd&status=complete&limit=100&offset=0');
    expect(screen.getByRole('searchbox')).toHaveValue('sun');
    expect(screen.getByLabelText('Style')).toHaveValue('acme-photo-sd');
    expect(screen.getByRole('checkbox', { name: 'Complete' })).toBeChecked();

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByText('3 jobs')).toBeInTheDocument();
    expect(location()).toBe('/jobs');
    expect(screen.getByRole('searchbox')).toHaveValue('');
    expect(screen.getByLabelText('Style')).toHaveValue('');
    expect(screen.getByRole('checkbox', { name: 'Complete' })).not.toBeChecked();
  });

  it('tells nothing matching from having no jobs, and offers to clear the filters', async () => {
    server.use(jobListServer(jobs).handler);
    const { user } = renderApp('/jobs?q=zebra', { signedInAs: 'ada' });
    expect(await screen.findByText('No jobs match these filters.')).toBeInTheDocument();
    expect(screen.queryByText('No jobs yet.')).toBeNull();
    expect(screen.queryByRole('list', { name: 'Jobs' })).toBeNull();
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    expect(await screen.findByText('3 jobs')).toBeInTheDocument();
  });

  it('starts again at page 1 when a filter changes', async () => {
    const list = jobListServer(historyOf(150));
    server.use(list.handler);
    const { user, location } = renderApp('/jobs?page=2', { signedInAs: 'ada' });
    await screen.findByText('150 jobs, page 2 of 2');
    await user.click(screen.getByRole('checkbox', { name: 'Failed' }));
    expect(await screen.findByText('50 jobs match')).toBeInTheDocument();
    expect(location()).toBe('/jobs?status=failed');
    expect(list.requests.at(-1)!.get('offset')).toBe('0');
  });

  it('folds the filters behind a Filters button that says whether it is open', async () => {
    server.use(jobListServer(jobs).handler);
    const { user } = renderApp('/jobs?style=acme-flat', { signedInAs: 'ada' });
    const toggle = await screen.findByRole('button', { name: 'Filters (1)' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(document.getElementById(toggle.getAttribute('aria-controls')!)).toContainElement(screen.getByLabelText('Style'));
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
  });
});
