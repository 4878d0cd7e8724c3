import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, completeJob, makeJob, makeSasImages } from '@/testing/fixtures';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

/** 45 jobs, newest first, served a page at a time as the API does. */
function historyOf(total: number) {
  const jobs = Array.from({ length: total }, (_, i) =>
    i % 3 === 0
      ? completeJob({ job_id: `h${i}`, prompt: `Prompt number ${i}` })
      : makeJob({ job_id: `h${i}`, prompt: `Prompt number ${i}`, status: i % 3 === 1 ? 'failed' : 'cancelled', queue_position: null }),
  );
  const requests: { limit: number; offset: number }[] = [];
  const handler = http.get(`${API}/jobs`, ({ request }) => {
    const url = new URL(request.url);
    const limit = Number(url.searchParams.get('limit'));
    const offset = Number(url.searchParams.get('offset'));
    requests.push({ limit, offset });
    return HttpResponse.json({ items: jobs.slice(offset, offset + limit), total, limit, offset });
  });
  return { handler, requests };
}

describe('history', () => {
  it('lists jobs newest first, 20 a page, with Newer and Older and the page in the URL', async () => {
    const history = historyOf(45);
    server.use(history.handler);
    const { user, location } = renderApp('/jobs', { signedInAs: 'ada' });

    expect(await screen.findByRole('heading', { level: 1, name: 'History' })).toBeInTheDocument();
    expect(await screen.findByText('Jobs 1–20 of 45')).toBeInTheDocument();
    const list = screen.getByRole('list');
    expect(within(list).getAllByRole('link')).toHaveLength(20);
    expect(within(list).getAllByRole('link')[0]).toHaveAccessibleName(expect.stringContaining('Prompt number 0'));
    expect(screen.getByRole('button', { name: 'Newer' })).toBeDisabled();
    expect(history.requests[0]).toEqual({ limit: 20, offset: 0 });

    await user.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('Jobs 21–40 of 45')).toBeInTheDocument();
    expect(location()).toBe('/jobs?page=2');
    expect(history.requests.at(-1)).toEqual({ limit: 20, offset: 20 });

    // Older keeps focus while it stays on.
    expect(screen.getByRole('button', { name: 'Older' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('Jobs 41–45 of 45')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();
    expect(screen.getByText('Page 3 of 3')).toBeInTheDocument();
    // The last page turned Older off: focus is on what the page shows, not lost.
    expect(screen.getByText('Jobs 41–45 of 45')).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await screen.findByText('Jobs 21–40 of 45')).toBeInTheDocument();
    expect(location()).toBe('/jobs?page=2');
    await user.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await screen.findByText('Jobs 1–20 of 45')).toBeInTheDocument();
    expect(screen.getByText('Jobs 1–20 of 45')).toHaveFocus();
  });

  it('opens a page straight from the URL, and each entry opens its job', async () => {
    const history = historyOf(45);
    server.use(
      history.handler,
      http.get(`${API}/jobs/h22`, () => HttpResponse.json(makeJob({ job_id: 'h22', prompt: 'Prompt number 22', status: 'failed' }))),
    );
    const { user, location } = renderApp('/jobs?page=2', { signedInAs: 'ada' });
    expect(await screen.findByText('Jobs 21–40 of 45')).toBeInTheDocument();

    const entry = screen.getByRole('link', { name: /Prompt number 22\b/ });
    expect(entry).toHaveTextContent('Failed');
    await user.click(entry);
    await waitFor(() => expect(location()).toBe('/jobs/h22'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Job' })).toBeInTheDocument();
  });

  it("shows the first image as each complete job's thumbnail", async () => {
    server.use(historyOf(3).handler);
    renderApp('/jobs', { signedInAs: 'ada' });
    const first = await screen.findByRole('link', { name: /Prompt number 0/ });
    const thumb = first.querySelector('img');
    // The 160-pixel WebP, not the grid's copy or the full PNG: twenty of them load on a phone.
    expect(thumb).toHaveAttribute('src', completeJob({ job_id: 'h0' }).images![0]!.small_thumbnail_url);
    expect(thumb).toHaveAttribute('alt', '');
    expect(screen.getByRole('link', { name: /Prompt number 1/ }).querySelector('img')).toBeNull();
  });

  it('uses the small thumbnail link as the API gives it, a storage SAS link byte for byte', async () => {
    // Listed out of order: the entry shows the first image, whatever order the API lists them in.
    const images = makeSasImages('u1').reverse();
    server.use(
      http.get(`${API}/jobs`, () =>
        HttpResponse.json({ items: [completeJob({ job_id: 'u1', images })], total: 1, limit: 20, offset: 0 }),
      ),
    );
    renderApp('/jobs', { signedInAs: 'ada' });
    const thumb = (await screen.findByRole('link', { name: /A red bicycle/ })).querySelector('img')!;
    expect(thumb.getAttribute('src')).toBe(images.find((image) => image.index === 0)!.small_thumbnail_url);
  });

  it('says when there are no jobs yet', async () => {
    renderApp('/jobs', { signedInAs: 'ada' });
    expect(await screen.findByText('No jobs yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Make your first images' })).toBeInTheDocument();
  });
});
