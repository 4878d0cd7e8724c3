import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { API, completeJob, errorBody, makeImages, makeJob, makeSasImages } from '@/testing/fixtures';
import { jobSequence } from '@/testing/jobs';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

const statusRegion = () =>
  screen.getAllByRole('status').find((el) => /Queued|Running|Complete|Failed|Cancelled/.test(el.textContent ?? ''))!;

describe('job status', () => {
  it('says a failed job failed, and why', async () => {
    server.use(
      http.get(`${API}/jobs/f1`, () =>
        HttpResponse.json(makeJob({ job_id: 'f1', status: 'failed', queue_position: null, error: 'The model ran out of memory.' })),
      ),
    );
    renderApp('/jobs/f1', { signedInAs: 'ada' });
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Failed The model ran out of memory.'));
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Download all' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Generate again' })).toBeInTheDocument();
  });

  it('says a cancelled job was cancelled', async () => {
    server.use(
      http.get(`${API}/jobs/c1`, () => HttpResponse.json(makeJob({ job_id: 'c1', status: 'cancelled', queue_position: null }))),
    );
    renderApp('/jobs/c1', { signedInAs: 'ada' });
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Cancelled'));
  });

  it('labels images from the demo model', async () => {
    server.use(http.get(`${API}/jobs/d1`, () => HttpResponse.json(completeJob({ job_id: 'd1', demo: true }))));
    renderApp('/jobs/d1', { signedInAs: 'ada' });
    expect(await screen.findByText('Demo model — random weights, the images are noise')).toBeInTheDocument();
  });

  it('shows the grid from the small WebP copies, with the full PNG for sharp screens', async () => {
    const job = completeJob({ job_id: 'g1', num_images: 2 });
    const image = job.images![0]!;
    server.use(http.get(`${API}/jobs/g1`, () => HttpResponse.json(job)));
    renderApp('/jobs/g1', { signedInAs: 'ada' });
    const first = await screen.findByRole('img', { name: /^Image 1 of 2/ });
    expect(first.getAttribute('src')).toBe(image.thumbnail_url);
    expect(first.getAttribute('srcset')).toBe(`${image.thumbnail_url} 512w, ${image.url} 1024w`);
    // Downloads are always the full PNG, through the link the API made for downloading.
    expect(screen.getByRole('link', { name: 'Download image 1' })).toHaveAttribute('href', image.download_url);
  });

  it("gives each WebP copy its real width in the srcset (512 px on the longest side)", async () => {
    const job = completeJob({ job_id: 'g2', num_images: 1, width: 768, height: 1344 });
    server.use(
      http.get(`${API}/jobs/g2`, () =>
        HttpResponse.json({ ...job, images: makeImages('g2', 1, { width: 768, height: 1344 }) }),
      ),
    );
    renderApp('/jobs/g2', { signedInAs: 'ada' });
    const image = await screen.findByRole('img', { name: /^Image 1 of 1/ });
    expect(image.getAttribute('srcset')).toMatch(/0\.webp\?\S+ 293w, \S+0\.png\?\S+ 768w$/);
  });

  it('does not show the demo label for a real model', async () => {
    server.use(http.get(`${API}/jobs/r1`, () => HttpResponse.json(completeJob({ job_id: 'r1', demo: false }))));
    renderApp('/jobs/r1', { signedInAs: 'ada' });
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Complete'));
    expect(screen.queryByText(/Demo model/)).not.toBeInTheDocument();
  });

  it('says a job that does not exist was not found', async () => {
    server.use(
      http.get(`${API}/jobs/nope`, () => HttpResponse.json(errorBody('job_not_found', 'No such job.'), { status: 404 })),
    );
    renderApp('/jobs/nope', { signedInAs: 'ada' });
    expect(await screen.findByRole('alert')).toHaveTextContent('This job was not found.');
    expect(document.title).toMatch(/^Job not found/);
  });

  it('cancels a queued job', async () => {
    const queued = makeJob({ job_id: 'q1', status: 'queued', queue_position: 1 });
    let cancelled = false;
    server.use(
      http.get(`${API}/jobs/q1`, () =>
        HttpResponse.json(cancelled ? { ...queued, status: 'cancelled', queue_position: null } : queued),
      ),
      http.post(`${API}/jobs/q1/cancel`, () => {
        cancelled = true;
        return HttpResponse.json({ ...queued, status: 'cancelled', queue_position: null });
      }),
    );
    const { user } = renderApp('/jobs/q1', { signedInAs: 'ada' });
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Queued'));
    expect(screen.getByText('1 job ahead of yours')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Cancel job' }));
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Cancelled'));
    expect(cancelled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
  });

  it('keeps a cancelled job cancelled when a poll was on its way', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const running = makeJob({ job_id: 'r9', status: 'running', queue_position: null, progress: { step: 5, total: 28 } });
    let gets = 0;
    let releasePoll: () => void = () => {};
    server.use(
      http.get(`${API}/jobs/r9`, async () => {
        gets += 1;
        // The second GET (the poll) answers only after the cancel has: with the state from before it.
        if (gets === 2) await new Promise<void>((resolve) => (releasePoll = resolve));
        return HttpResponse.json(running);
      }),
      http.post(`${API}/jobs/r9/cancel`, () =>
        HttpResponse.json({ ...running, status: 'cancelled', progress: null }),
      ),
    );
    const { user } = renderApp('/jobs/r9', { signedInAs: 'ada', userOptions: { advanceTimers: vi.advanceTimersByTime } });
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Running'));
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(gets).toBe(2));

    await user.click(screen.getByRole('button', { name: 'Cancel job' }));
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Cancelled'));
    await act(async () => releasePoll());
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(statusRegion()).toHaveTextContent('Cancelled');
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
    expect(gets).toBe(2);
  });

  it('shows the job as it is when cancelling comes too late (409)', async () => {
    const running = makeJob({ job_id: 'late', status: 'running', queue_position: null, progress: { step: 27, total: 28 } });
    const done = completeJob({ job_id: 'late' });
    let finished = false;
    server.use(
      http.get(`${API}/jobs/late`, () => HttpResponse.json(finished ? done : running)),
      http.post(`${API}/jobs/late/cancel`, () => {
        finished = true;
        return HttpResponse.json(errorBody('job_finished', 'The job has already ended (complete).'), { status: 409 });
      }),
    );
    const { user } = renderApp('/jobs/late', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('button', { name: 'Cancel job' }));
    expect(await screen.findByText('The job has already ended (complete).')).toBeInTheDocument();
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Complete'));
  });
});

describe('polling', () => {
  it('asks every 2 seconds while the job runs and stops once it has ended', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const running = makeJob({ job_id: 'p1', status: 'running', queue_position: null, progress: { step: 1, total: 28 } });
    const sequence = jobSequence([running, { ...running, progress: { step: 14, total: 28 } }, completeJob({ job_id: 'p1' })]);
    server.use(sequence.handler);
    renderApp('/jobs/p1', { signedInAs: 'ada' });

    const progress = () => screen.getByRole('progressbar', { name: 'Progress' });
    await waitFor(() => expect(progress()).toHaveAttribute('aria-valuetext', 'Step 1 of 28'));
    expect(sequence.calls.count).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(progress()).toHaveAttribute('aria-valuetext', 'Step 14 of 28'));
    expect(screen.getByText('Step 14 of 28')).toBeInTheDocument();
    expect(sequence.calls.count).toBe(2);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Complete'));
    expect(sequence.calls.count).toBe(3);

    await act(() => vi.advanceTimersByTimeAsync(20_000));
    expect(sequence.calls.count).toBe(3);
  });

  it('goes on after a failed refresh, waiting as long as the server asked (503 with Retry-After)', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const running = makeJob({ job_id: 'b1', status: 'running', queue_position: null, progress: { step: 3, total: 28 } });
    const answers: (() => Response)[] = [
      () => HttpResponse.json(running),
      () => HttpResponse.json(errorBody('runner_busy', 'The service is busy.'), { status: 503, headers: { 'Retry-After': '7' } }),
      () => HttpResponse.json(completeJob({ job_id: 'b1' })),
    ];
    let calls = 0;
    server.use(http.get(`${API}/jobs/b1`, () => answers[Math.min(calls++, answers.length - 1)]!()));
    renderApp('/jobs/b1', { signedInAs: 'ada' });

    await waitFor(() => expect(statusRegion()).toHaveTextContent('Running'));
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(await screen.findByText(/Could not refresh this job: The service is busy/)).toBeInTheDocument();
    expect(calls).toBe(2);
    // Not before the 7 seconds the server asked for…
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(calls).toBe(2);
    // …then on, to the end.
    await act(() => vi.advanceTimersByTimeAsync(2500));
    await waitFor(() => expect(statusRegion()).toHaveTextContent('Complete'));
    expect(calls).toBe(3);
    expect(screen.queryByText(/Could not refresh this job/)).not.toBeInTheDocument();
    expect(screen.getAllByRole('img', { name: /^Image \d of 4/ })).toHaveLength(4);
  });

  it('backs off after a failed refresh without Retry-After, and stops on a 404', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const queued = makeJob({ job_id: 'b2', status: 'queued', queue_position: 2 });
    const answers: (() => Response)[] = [
      () => HttpResponse.json(queued),
      () => HttpResponse.error(),
      () => HttpResponse.json(errorBody('job_not_found', 'No such job.'), { status: 404 }),
    ];
    let calls = 0;
    server.use(http.get(`${API}/jobs/b2`, () => answers[Math.min(calls++, answers.length - 1)]!()));
    renderApp('/jobs/b2', { signedInAs: 'ada' });

    await waitFor(() => expect(statusRegion()).toHaveTextContent('Queued'));
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(calls).toBe(2));
    await act(() => vi.advanceTimersByTimeAsync(4000));
    expect(calls).toBe(2);
    await act(() => vi.advanceTimersByTimeAsync(1500));
    await waitFor(() => expect(calls).toBe(3));
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(calls).toBe(3);
  });

  it('announces changes of status, not every step', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const running = makeJob({ job_id: 'a1', status: 'running', queue_position: null, progress: { step: 1, total: 28 } });
    const sequence = jobSequence([running, { ...running, progress: { step: 2, total: 28 } }, completeJob({ job_id: 'a1' })]);
    server.use(sequence.handler);
    renderApp('/jobs/a1', { signedInAs: 'ada' });

    await waitFor(() => expect(statusRegion()).toHaveTextContent('Running'));
    const live = statusRegion();
    const said: string[] = [];
    new MutationObserver(() => said.push(live.textContent ?? '')).observe(live, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(screen.getByText('Step 2 of 28')).toBeInTheDocument());
    expect(said).toEqual([]);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(live).toHaveTextContent('Complete 4 images ready.'));
  });

});

describe('images', () => {
  const job = completeJob({ job_id: 'v1', prompt: 'Lighthouse at dusk' });

  it('opens a large view with focus inside, steps with the arrow keys, closes with Escape and puts focus back', async () => {
    server.use(http.get(`${API}/jobs/v1`, () => HttpResponse.json(job)));
    const { user } = renderApp('/jobs/v1', { signedInAs: 'ada' });

    const second = await screen.findByRole('img', { name: 'Image 2 of 4: Lighthouse at dusk' });
    const opener = second.closest('button')!;
    await user.click(opener);

    let dialog = screen.getByRole('dialog', { name: 'Image 2 of 4' });
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    expect(within(dialog).getByRole('img')).toHaveAttribute('alt', 'Image 2 of 4: Lighthouse at dusk');
    expect(within(dialog).getByRole('link', { name: 'Download' })).toHaveAttribute('href', job.images![1]!.download_url);

    await user.keyboard('{ArrowRight}');
    dialog = screen.getByRole('dialog', { name: 'Image 3 of 4' });
    expect(within(dialog).getByRole('img')).toHaveAttribute('src', job.images![2]!.url);
    await user.keyboard('{ArrowLeft}{ArrowLeft}{ArrowLeft}');
    expect(screen.getByRole('dialog', { name: 'Image 4 of 4' })).toBeInTheDocument();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });

  it('closes the large view with the Close button and keeps Tab inside it', async () => {
    server.use(http.get(`${API}/jobs/v1`, () => HttpResponse.json(job)));
    const { user } = renderApp('/jobs/v1', { signedInAs: 'ada' });
    await user.click((await screen.findByRole('img', { name: /^Image 1 of 4/ })).closest('button')!);
    const dialog = screen.getByRole('dialog', { name: 'Image 1 of 4' });
    for (let i = 0; i < 6; i += 1) {
      await user.tab();
      expect(dialog).toContainElement(document.activeElement as HTMLElement);
    }
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it("links each image for download with the API's download_url", async () => {
    server.use(http.get(`${API}/jobs/v1`, () => HttpResponse.json(job)));
    renderApp('/jobs/v1', { signedInAs: 'ada' });
    const links = await screen.findAllByRole('link', { name: /^Download image \d$/ });
    expect(links.map((link) => link.getAttribute('href'))).toEqual(job.images!.map((image) => image.download_url));
  });

  it('uses storage SAS links byte for byte: grid, srcset, downloads and the large view', async () => {
    // A SAS link's signature covers its whole query: one changed or added byte and storage refuses it.
    const sasJob = completeJob({ job_id: 's1', num_images: 2, images: makeSasImages('s1', 2) });
    const [first, second] = sasJob.images!;
    server.use(http.get(`${API}/jobs/s1`, () => HttpResponse.json(sasJob)));
    const { user } = renderApp('/jobs/s1', { signedInAs: 'ada' });

    const tile = await screen.findByRole('img', { name: /^Image 1 of 2/ });
    expect(tile.getAttribute('src')).toBe(first!.thumbnail_url);
    expect(tile.getAttribute('srcset')).toBe(`${first!.thumbnail_url} 512w, ${first!.url} 1024w`);
    expect(screen.getByRole('link', { name: 'Download image 1' }).getAttribute('href')).toBe(first!.download_url);
    expect(screen.getByRole('link', { name: 'Download image 2' }).getAttribute('href')).toBe(second!.download_url);

    await user.click(screen.getByRole('img', { name: /^Image 2 of 2/ }).closest('button')!);
    const dialog = screen.getByRole('dialog', { name: 'Image 2 of 2' });
    expect(within(dialog).getByRole('img').getAttribute('src')).toBe(second!.url);
    expect(within(dialog).getByRole('link', { name: 'Download' }).getAttribute('href')).toBe(second!.download_url);
  });

  it('"Download all" fetches the archive with the bearer token and saves it under its name', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${API}/jobs/v1`, () => HttpResponse.json(job)),
      http.get(`${API}/jobs/v1/archive`, ({ request }) => {
        seen.push(request.headers.get('Authorization'));
        return new HttpResponse(new Uint8Array([80, 75, 3, 4]), {
          headers: { 'Content-Type': 'application/zip', 'Content-Disposition': 'attachment; filename="lighthouse-v1.zip"' },
        });
      }),
    );
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:zip');
    const clicked: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    });
    const { user } = renderApp('/jobs/v1', { signedInAs: 'ada' });

    await user.click(await screen.findByRole('button', { name: 'Download all' }));
    await waitFor(() => expect(clicked).toEqual([{ href: 'blob:zip', download: 'lighthouse-v1.zip' }]));
    expect(seen).toEqual(['Bearer dev:ada']);
    const blob = createObjectURL.mock.calls[0]![0] as Blob;
    expect(blob.size).toBe(4);
  });

  it('says why "Download all" failed', async () => {
    server.use(
      http.get(`${API}/jobs/v1`, () => HttpResponse.json(job)),
      http.get(`${API}/jobs/v1/archive`, () =>
        HttpResponse.json(errorBody('job_not_complete', 'The job has no images yet.'), { status: 409 }),
      ),
    );
    const { user } = renderApp('/jobs/v1', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('button', { name: 'Download all' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The zip could not be downloaded: The job has no images yet.');
  });
});

describe('deleting', () => {
  it('asks first, then deletes and goes to the history', async () => {
    let deleted = 0;
    server.use(
      http.get(`${API}/jobs/x1`, () => HttpResponse.json(completeJob({ job_id: 'x1' }))),
      http.delete(`${API}/jobs/x1`, () => {
        deleted += 1;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user, location } = renderApp('/jobs/x1', { signedInAs: 'ada' });
    const button = await screen.findByRole('button', { name: 'Delete job' });

    await user.click(button);
    let dialog = screen.getByRole('dialog', { name: 'Delete this job?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(deleted).toBe(0);
    expect(button).toHaveFocus();

    await user.click(button);
    dialog = screen.getByRole('dialog', { name: 'Delete this job?' });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(location()).toBe('/jobs'));
    expect(deleted).toBe(1);
    expect(await screen.findByRole('heading', { name: 'History' })).toBeInTheDocument();
  });

  it('on the Generate page, puts focus on the heading that replaces the deleted job', async () => {
    server.use(
      http.get(`${API}/jobs/x2`, () => HttpResponse.json(completeJob({ job_id: 'x2' }))),
      http.delete(`${API}/jobs/x2`, () => new HttpResponse(null, { status: 204 })),
    );
    const { user, location } = renderApp('/?job=x2', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('button', { name: 'Delete job' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Delete this job?' })).getByRole('button', { name: 'Yes, delete' }));

    await waitFor(() => expect(location()).toBe('/'));
    const heading = await screen.findByRole('heading', { name: 'Your images will appear here' });
    await waitFor(() => expect(heading).toHaveFocus());
  });
});
