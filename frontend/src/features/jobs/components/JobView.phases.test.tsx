import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { API, completeJob, makeImages, makeJob } from '@/testing/fixtures';
import { jobSequence } from '@/testing/jobs';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

const statusRegion = () =>
  screen.getAllByRole('status').find((el) => /Queued|Waiting|Running|Complete|Failed|Cancelled/.test(el.textContent ?? ''))!;
const placeholders = () => Array.from(document.querySelectorAll<HTMLElement>('[data-placeholder]'));
function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
  // Browsers fire it at the document and it bubbles to window, where TanStack listens.
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
}
const ACTIONS = ['Generate again', 'Edit and generate', 'Same seed', 'Delete job'];

function acceptGenerate(jobId: string, seen: unknown[]) {
  return http.post(`${API}/generate`, async ({ request }) => {
    seen.push(await request.json());
    return HttpResponse.json({ job_id: jobId, status: 'queued', created_at: '2025-05-01T10:00:00Z' }, { status: 202 });
  });
}

describe('honest progress', () => {
  it('says a job handed to the GPU but not rendering yet is waiting for it, with the images ahead, not "Step 0"', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const waiting = makeJob({
      job_id: 'w1',
      status: 'running',
      phase: 'waiting_for_gpu',
      queue_position: null,
      progress: { step: 0, total: 4 },
      images_ahead: 8,
    });
    const rendering = { ...waiting, phase: 'rendering' as const, images_ahead: null, progress: { step: 2, total: 4 } };
    const sequence = jobSequence([waiting, rendering]);
    server.use(sequence.handler);
    renderApp('/jobs/w1', { signedInAs: 'ada' });

    await waitFor(() => expect(statusRegion()).toHaveTextContent(/^Waiting for the GPU$/));
    expect(screen.getByText('8 images ahead')).toBeInTheDocument();
    expect(screen.queryByText(/Step 0/)).not.toBeInTheDocument();
    expect(screen.queryByText('Running')).not.toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(statusRegion()).toHaveTextContent(/^Running$/));
    expect(screen.getByRole('progressbar', { name: 'Progress' })).toHaveAttribute('aria-valuetext', 'Step 2 of 4');
    expect(screen.queryByText('8 images ahead')).not.toBeInTheDocument();
  });
});

describe('polling while the tab is hidden', () => {
  it('asks every 6 seconds while the tab is hidden (not every 2), and catches up when it is shown again', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const queued = makeJob({ job_id: 'h1', status: 'queued', queue_position: 3 });
    const sequence = jobSequence([queued]);
    server.use(sequence.handler);
    try {
      renderApp('/jobs/h1', { signedInAs: 'ada' });
      await waitFor(() => expect(statusRegion()).toHaveTextContent('Queued'));
      await act(() => vi.advanceTimersByTimeAsync(2000));
      await waitFor(() => expect(sequence.calls.count).toBe(2));

      setVisibility('hidden');
      // The poll already timed goes out; after it, one every 6 s.
      await act(() => vi.advanceTimersByTimeAsync(2000));
      await waitFor(() => expect(sequence.calls.count).toBe(3));
      await act(() => vi.advanceTimersByTimeAsync(5500));
      expect(sequence.calls.count).toBe(3);
      await act(() => vi.advanceTimersByTimeAsync(1000));
      await waitFor(() => expect(sequence.calls.count).toBe(4));

      setVisibility('visible');
      await waitFor(() => expect(sequence.calls.count).toBe(5));
      await act(() => vi.advanceTimersByTimeAsync(2000));
      await waitFor(() => expect(sequence.calls.count).toBe(6));
    } finally {
      setVisibility('visible');
    }
  });
});

describe('placeholder tiles', () => {
  it("holds a tile of the job's shape for each image to come, filling with the steps", async () => {
    const job = makeJob({
      job_id: 't1',
      status: 'running',
      phase: 'rendering',
      num_images: 3,
      width: 1344,
      height: 768,
      progress: { step: 7, total: 28 },
    });
    server.use(http.get(`${API}/jobs/t1`, () => HttpResponse.json(job)));
    renderApp('/jobs/t1', { signedInAs: 'ada' });

    await waitFor(() => expect(placeholders()).toHaveLength(3));
    for (const tile of placeholders()) {
      expect(tile.style.aspectRatio).toBe('1344 / 768');
      expect((tile.firstElementChild as HTMLElement).style.transform).toBe('scaleX(0.25)');
    }
    // Nothing of them for screen readers: the status region says where the job is.
    expect(placeholders()[0]!.closest('[aria-hidden="true"]')).not.toBeNull();
  });

  it('swaps each tile to its image once that image has loaded, in the same shape', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const running = makeJob({ job_id: 't2', status: 'running', phase: 'rendering', num_images: 2, width: 768, height: 1344, progress: { step: 27, total: 28 } });
    const done = completeJob({ job_id: 't2', num_images: 2, width: 768, height: 1344, images: makeImages('t2', 2, { width: 768, height: 1344 }) });
    const sequence = jobSequence([running, done]);
    server.use(sequence.handler);
    renderApp('/jobs/t2', { signedInAs: 'ada' });
    await waitFor(() => expect(placeholders()).toHaveLength(2));

    await act(() => vi.advanceTimersByTimeAsync(2000));
    const images = await screen.findAllByRole('img', { name: /^Image \d of 2/ });
    expect(placeholders()).toHaveLength(0);
    const frames = images.map((img) => img.closest('button')!);
    for (const frame of frames) {
      expect(frame.style.aspectRatio).toBe('768 / 1344');
      expect(frame).not.toHaveAttribute('data-loaded');
    }
    fireEvent.load(images[1]!);
    expect(frames[1]).toHaveAttribute('data-loaded');
    expect(frames[0]).not.toHaveAttribute('data-loaded');
  });
});

describe('actions', () => {
  it('offers only Cancel while the job runs, and the rest once it has ended', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const queued = makeJob({ job_id: 'a1', status: 'queued', queue_position: 1 });
    const sequence = jobSequence([queued, completeJob({ job_id: 'a1' })]);
    server.use(sequence.handler);
    renderApp('/jobs/a1', { signedInAs: 'ada' });

    expect(await screen.findByRole('button', { name: 'Cancel job' })).toBeInTheDocument();
    for (const name of ACTIONS) expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Complete'));
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
    for (const name of ACTIONS) expect(screen.getByRole('button', { name })).toBeInTheDocument();
  });

  it('"Generate again" starts a job with the same settings and a new seed at once, and shows it', async () => {
    const old = completeJob({
      job_id: 'old',
      prompt: 'Lighthouse at dusk',
      style: 'acme-flat',
      model: 'flux-dev',
      aspect_ratio: null,
      width: 1344,
      height: 768,
      steps: 12,
      num_images: 3,
      seed: 777,
    });
    const bodies: unknown[] = [];
    server.use(
      http.get(`${API}/jobs/old`, () => HttpResponse.json(old)),
      http.get(`${API}/jobs/new`, () => HttpResponse.json(makeJob({ job_id: 'new', prompt: 'Lighthouse at dusk' }))),
      acceptGenerate('new', bodies),
    );
    const { user, location } = renderApp('/jobs/old', { signedInAs: 'ada' });

    await user.click(await screen.findByRole('button', { name: 'Generate again' }));
    await waitFor(() => expect(location()).toBe('/jobs/new'));
    expect(bodies).toEqual([
      { prompt: 'Lighthouse at dusk', model: 'flux-dev', style: 'acme-flat', num_images: 3, steps: 12, width: 1344, height: 768 },
    ]);
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Queued'));
  });

  it('"Generate again" on the Generate page shows the new job there, its preset kept', async () => {
    const old = completeJob({ job_id: 'g-old', aspect_ratio: '16:9', width: 1344, height: 768, steps: 28, num_images: 2 });
    const bodies: unknown[] = [];
    server.use(
      http.get(`${API}/jobs/g-old`, () => HttpResponse.json(old)),
      http.get(`${API}/jobs/g-new`, () => HttpResponse.json(makeJob({ job_id: 'g-new' }))),
      acceptGenerate('g-new', bodies),
    );
    const { user, location } = renderApp('/?job=g-old', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('button', { name: 'Generate again' }));
    await waitFor(() => expect(location()).toBe('/?job=g-new'));
    expect(bodies).toEqual([
      { prompt: old.prompt, model: old.model, num_images: 2, steps: 28, aspect_ratio: '16:9' },
    ]);
  });

  it('says why "Generate again" could not start a job', async () => {
    server.use(
      http.get(`${API}/jobs/e1`, () => HttpResponse.json(completeJob({ job_id: 'e1' }))),
      http.post(`${API}/generate`, () =>
        HttpResponse.json({ error: { code: 'queue_full', message: 'The queue is full.', fields: [] } }, { status: 503 }),
      ),
    );
    const { user, location } = renderApp('/jobs/e1', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('button', { name: 'Generate again' }));
    expect(await screen.findByText(/The new job could not be started/)).toBeInTheDocument();
    expect(location()).toBe('/jobs/e1');
  });
});

describe('the job page', () => {
  it('is named after the prompt, shortened, in its heading and the tab title', async () => {
    const prompt = 'A product shot of our new water bottle on a mossy rock in the morning light, with fog';
    server.use(http.get(`${API}/jobs/n1`, () => HttpResponse.json(completeJob({ job_id: 'n1', prompt }))));
    renderApp('/jobs/n1', { signedInAs: 'ada' });
    const heading = await screen.findByRole('heading', { level: 1, name: /^A product shot/ });
    expect(heading).toHaveTextContent('A product shot of our new water bottle on a mossy rock in…');
    expect(document.title).toBe('A product shot of our new water bottle on a mossy rock in… · Brand asset generator');
    // The whole prompt is still there, under the heading.
    expect(screen.getByText(prompt)).toBeInTheDocument();
  });
});
