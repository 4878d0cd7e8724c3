import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, completeJob, errorBody } from '../testing/fixtures';
import { serveImageBytes } from '../testing/jobs';
import { renderPlugin } from '../testing/plugin';
import { server } from '../testing/server';

describe('Recent jobs', () => {
  it('lists the finished jobs (GET /jobs?status=complete&limit=20) to place again', async () => {
    const jobs = [
      completeJob({ prompt: 'Mountain hut at dawn', style: 'acme-flat', num_images: 1 }),
      completeJob({ prompt: 'Water bottle on moss', num_images: 3 }),
    ];
    let query = '';
    server.use(
      http.get(`${API}/jobs`, ({ request }) => {
        query = new URL(request.url).search;
        return HttpResponse.json({ items: jobs, total: 2, limit: 20, offset: 0 });
      }),
    );
    serveImageBytes((index) => [9, index]);
    const { user, sent } = renderPlugin();

    await user.click(await screen.findByRole('button', { name: 'Recent' }));

    const list = await screen.findByRole('list', { name: 'Recent jobs' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(new URLSearchParams(query).getAll('status')).toEqual(['complete']);
    expect(new URLSearchParams(query).get('limit')).toBe('20');
    expect(items[0]).toHaveTextContent('Mountain hut at dawn');
    expect(items[0]).toHaveTextContent('acme-flat · 1024 × 1024');
    expect(within(items[1]!).getAllByRole('button', { name: /^Place image/ })).toHaveLength(3);

    await user.click(within(items[1]!).getByRole('button', { name: 'Place all 3 images: Water bottle on moss' }));

    await screen.findByText('Placing 3 images…');
    expect(sent('place')[0]).toMatchObject({ name: 'Water bottle on moss' });
    expect(sent('place')[0]?.images).toHaveLength(3);
  });

  it('says when there is nothing yet', async () => {
    const { user } = renderPlugin();
    await user.click(await screen.findByRole('button', { name: 'Recent' }));
    expect(await screen.findByText(/No finished jobs yet/)).toBeInTheDocument();
  });

  it('says when the list cannot be loaded', async () => {
    server.use(http.get(`${API}/jobs`, () => HttpResponse.json(errorBody('internal', 'x'), { status: 500 })));
    const { user } = renderPlugin();
    await user.click(await screen.findByRole('button', { name: 'Recent' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Something went wrong on the server.');
  });
});
