import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '@/api/schema';
import { API, completeJob, errorBody } from '@/testing/fixtures';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

type Recipe = components['schemas']['Recipe'];

const recipe: Recipe = {
  model: 'flux-demo',
  model_fingerprint: 'sha256:aa',
  product_version: '0.9.0',
  scheduler: 'FlowMatchEulerDiscreteScheduler',
  seeds: [1234, 1235, 1236, 1237],
  steps: 28,
  guidance: 3.5,
  width: 1024,
  height: 1024,
  style: 'acme-flat',
  style_version: 2,
  style_fingerprint: 'sha256:bb',
  style_weight: 1,
};
const job = completeJob({ job_id: 'x1', style: 'acme-flat', style_version: 2, recipe });
const copy = completeJob({ job_id: 'x2', style: 'acme-flat', style_version: 2, recipe });

/** The job, its copy, the recipe check answering `check`, and POST /regenerate counted. */
function recipeServer(check: { exact: boolean; differences: string[] }) {
  const posts = { count: 0 };
  server.use(
    http.get(`${API}/jobs/x1`, () => HttpResponse.json(job)),
    http.get(`${API}/jobs/x2`, () => HttpResponse.json(copy)),
    http.get(`${API}/jobs/x1/recipe/check`, () => HttpResponse.json(check)),
    http.post(`${API}/jobs/x1/regenerate`, () => {
      posts.count += 1;
      return HttpResponse.json(
        { job_id: 'x2', status: 'queued', created_at: '2026-12-03T12:00:00Z', differences: check.differences },
        { status: 202 },
      );
    }),
  );
  return posts;
}

describe('Regenerate exactly', () => {
  it('starts the same recipe at once when it is exact, and shows the new job', { timeout: 15_000 }, async () => {
    const posts = recipeServer({ exact: true, differences: [] });
    const { user, location } = renderApp('/jobs/x1', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('button', { name: 'Regenerate exactly' }));
    await waitFor(() => expect(location()).toBe('/jobs/x2'));
    expect(posts.count).toBe(1);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('says why the result will differ before starting anything, and starts only when asked', { timeout: 15_000 }, async () => {
    const why = 'The style acme-flat is now version 3; this job used version 2.';
    const posts = recipeServer({ exact: false, differences: [why] });
    const { user, location } = renderApp('/jobs/x1', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('button', { name: 'Regenerate exactly' }));
    const dialog = await screen.findByRole('dialog', { name: 'The new images will differ' });
    expect(within(dialog).getByText(why)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(posts.count).toBe(0);

    await user.click(screen.getByRole('button', { name: 'Regenerate exactly' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Regenerate anyway' }));
    await waitFor(() => expect(location()).toBe('/jobs/x2'));
    expect(posts.count).toBe(1);
  });

  it('says why the recipe could not be run', async () => {
    recipeServer({ exact: true, differences: [] });
    server.use(
      http.get(`${API}/jobs/x1/recipe/check`, () =>
        HttpResponse.json(errorBody('recipe_unavailable', 'The model flux-demo is no longer served.'), { status: 409 }),
      ),
    );
    const { user } = renderApp('/jobs/x1', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('button', { name: 'Regenerate exactly' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The model flux-demo is no longer served.');
  });

  it('is not offered for a job without a recipe', async () => {
    server.use(http.get(`${API}/jobs/x3`, () => HttpResponse.json(completeJob({ job_id: 'x3', recipe: null }))));
    renderApp('/jobs/x3', { signedInAs: 'ada' });
    await screen.findByRole('img', { name: /^Image 1 of 4/ });
    expect(screen.queryByRole('button', { name: 'Regenerate exactly' })).not.toBeInTheDocument();
  });

  it('names the style version the job used in its settings', async () => {
    recipeServer({ exact: true, differences: [] });
    const { user } = renderApp('/jobs/x1', { signedInAs: 'ada' });
    await user.click(await screen.findByText('Job settings'));
    expect(screen.getByText('Brand style').nextElementSibling).toHaveTextContent('acme-flat v2');
  });
});
