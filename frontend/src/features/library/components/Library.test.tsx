import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '@/api/schema';
import { API, makeImages } from '@/testing/fixtures';
import { renderApp } from '@/testing/render';
import { callerOf, isReviewer, server, unauthorized } from '@/testing/server';

type LibraryImage = components['schemas']['LibraryImage'];

function libraryImage(jobId: string, prompt: string, overrides: Partial<LibraryImage> = {}): LibraryImage {
  const { seed: _seed, ...image } = makeImages(jobId, 1)[0]!;
  return {
    ...image,
    job_id: jobId,
    prompt,
    model: 'flux-demo',
    style: 'acme-flat',
    style_version: 2,
    review: { decision: 'approved', reviewer_name: 'Grace', decided_at: '2026-12-03T12:00:00Z' },
    brand: { score: 0.81, colors: [{ hex: '#1f4e9b', share: 0.6 }] },
    credentials: null,
    ...overrides,
  };
}

const approved = [
  libraryImage('l1', 'Spring banner, blue sky'),
  libraryImage('l2', 'Mug on a desk', { style: null, style_version: null, model: 'sd35-large' }),
];

/** GET /library answering `items` filtered as the API does (q as word prefixes, style, model); each request's query is kept. */
function libraryServer(items: LibraryImage[]) {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get(`${API}/library`, ({ request }) => {
      if (!callerOf(request)) return unauthorized();
      const params = new URL(request.url).searchParams;
      requests.push(params);
      const words = (text: string) => text.toLowerCase().split(/\W+/).filter(Boolean);
      const matched = items.filter(
        (image) =>
          (!params.has('style') || image.style === params.get('style')) &&
          (!params.has('model') || image.model === params.get('model')) &&
          words(params.get('q') ?? '').every((w) => words(image.prompt).some((p) => p.startsWith(w))),
      );
      return HttpResponse.json({ items: matched, total: matched.length, limit: 48, offset: 0 });
    }),
  );
  return requests;
}

describe('the Approved library', () => {
  it('shows every approved image with who approved it, its brand score and a download link', { timeout: 15_000 }, async () => {
    libraryServer(approved);
    const { user, location } = renderApp('/', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('link', { name: 'Approved' }));
    await waitFor(() => expect(location()).toBe('/library'));
    const list = await screen.findByRole('list', { name: 'Approved images' });
    const cards = within(list).getAllByRole('listitem').filter((li) => li.parentElement === list);
    expect(cards).toHaveLength(2);
    expect(within(cards[0]!).getByText('Approved by Grace')).toBeInTheDocument();
    expect(within(cards[0]!).getByText('acme-flat v2 · flux-demo · 1024 × 1024')).toBeInTheDocument();
    expect(within(cards[0]!).getByText('On-brand colours: 81%')).toBeInTheDocument();
    expect(within(cards[1]!).getByRole('link', { name: 'Download Mug on a desk' })).toHaveAttribute(
      'href',
      approved[1]!.download_url,
    );
    expect(screen.getByText('2 approved images')).toBeInTheDocument();
  });

  it('filters by search, style and model, keeping them in the URL', { timeout: 15_000 }, async () => {
    const requests = libraryServer(approved);
    const { user, location } = renderApp('/library', { signedInAs: 'ada' });
    await screen.findByRole('list', { name: 'Approved images' });
    await user.type(screen.getByLabelText('Search the prompts'), 'mug{Enter}');
    await waitFor(() => expect(location()).toBe('/library?q=mug'));
    expect(await screen.findByText('1 approved image match')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Style'), 'acme-flat');
    await waitFor(() => expect(location()).toBe('/library?q=mug&style=acme-flat'));
    expect(await screen.findByText('No approved images match these filters.')).toBeInTheDocument();
    expect(requests.at(-1)?.get('style')).toBe('acme-flat');
    expect(requests.at(-1)?.get('q')).toBe('mug');
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    await waitFor(() => expect(location()).toBe('/library'));
  });

  it('says when nothing has been approved yet', async () => {
    libraryServer([]);
    renderApp('/library', { signedInAs: 'ada' });
    expect(await screen.findByText('No images have been approved yet.')).toBeInTheDocument();
  });
});

describe('the reviewers’ queue', () => {
  it('lists images without a decision; approving one takes it off the queue', { timeout: 15_000 }, async () => {
    let pending = [
      libraryImage('p1', 'Poster draft', { review: null }),
      libraryImage('p2', 'Banner draft', { review: null }),
    ];
    server.use(
      http.get(`${API}/reviews/pending`, ({ request }) =>
        isReviewer(request) ? HttpResponse.json({ items: pending, total: pending.length, limit: 48, offset: 0 }) : unauthorized(),
      ),
      http.put(`${API}/jobs/p1/images/0/review`, () => {
        pending = pending.filter((image) => image.job_id !== 'p1');
        return HttpResponse.json({ decision: 'approved', reviewer_name: 'Grace', decided_at: '2026-12-03T12:00:00Z' });
      }),
    );
    const { user, location } = renderApp('/', { signedInAs: 'Grace', reviewer: true });
    await user.click(await screen.findByRole('link', { name: 'To review' }));
    // The page is its own chunk: the router's transition shows the new location once it has loaded.
    await waitFor(() => expect(location()).toBe('/reviews'));
    expect(await screen.findByText('2 images wait for a decision')).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Images to review' });
    expect(within(list).getByRole('link', { name: 'Open its job: Poster draft' })).toBeInTheDocument();
    await user.click(within(screen.getByRole('group', { name: 'Review image 1' })).getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('1 image waits for a decision')).toBeInTheDocument();
    expect(screen.queryByText('Poster draft')).not.toBeInTheDocument();
  });

  it('tells someone without the reviewer role that only reviewers decide', async () => {
    renderApp('/reviews', { signedInAs: 'ada' });
    expect(await screen.findByText(/Only reviewers approve or reject images/)).toBeInTheDocument();
  });
});
