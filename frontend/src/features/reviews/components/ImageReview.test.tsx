import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '@/api/schema';
import { API, completeJob, errorBody } from '@/testing/fixtures';
import { renderApp } from '@/testing/render';
import { callerOf, isReviewer, server, unauthorized } from '@/testing/server';

type Job = components['schemas']['JobPublic'];
type Record = components['schemas']['ReviewRecord'];
type Review = components['schemas']['ImageReviewState'] | null;

/** A job's review endpoints over one job held here: decisions change its images and the history. */
function reviewServer(job: Job) {
  const history: Record[] = [];
  const bodies: unknown[] = [];
  const setReview = (index: number, review: Review) => {
    job.images = job.images!.map((image) => (image.index === index ? { ...image, review } : image));
  };
  const base = `${API}/jobs/${job.job_id}/images/:index`;
  server.use(
    http.get(`${API}/jobs/${job.job_id}`, ({ request }) => (callerOf(request) ? HttpResponse.json(job) : unauthorized())),
    http.put(`${base}/review`, async ({ request, params }) => {
      if (!isReviewer(request)) return HttpResponse.json(errorBody('forbidden', 'Reviewers only.'), { status: 403 });
      const body = (await request.json()) as { decision: 'approved' | 'rejected'; comment?: string | null };
      bodies.push(body);
      const state = { ...body, reviewer_name: callerOf(request)!, decided_at: '2026-12-03T12:00:00Z' };
      setReview(Number(params.index), state);
      history.unshift(state);
      return HttpResponse.json(state);
    }),
    http.delete(`${base}/review`, ({ request, params }) => {
      setReview(Number(params.index), null);
      history.unshift({ decision: 'cleared', reviewer_name: callerOf(request)!, decided_at: '2026-12-03T12:05:00Z' });
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(`${base}/reviews`, () => HttpResponse.json(history)),
  );
  return { bodies };
}

describe('reviewing an image', () => {
  it('lets a reviewer approve with a comment, shows who approved it, and take the decision back', { timeout: 15_000 }, async () => {
    const job = completeJob({ job_id: 'r1', prompt: 'Spring banner', num_images: 2 });
    const { bodies } = reviewServer(job);
    const { user } = renderApp('/jobs/r1', { signedInAs: 'Grace', reviewer: true });
    await screen.findByRole('img', { name: /^Image 1 of 2/ });
    expect(screen.getByRole('link', { name: 'To review' })).toBeInTheDocument();

    const toggle = screen.getByRole('button', { name: 'Review image 1' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    const form = screen.getByRole('group', { name: 'Review image 1' });
    await user.type(within(form).getByLabelText('Comment (optional)'), 'Right blue, good crop');
    await user.click(within(form).getByRole('button', { name: 'Approve' }));

    expect(await screen.findByText('Approved by Grace')).toBeInTheDocument();
    expect(bodies).toEqual([{ decision: 'approved', comment: 'Right blue, good crop' }]);
    expect(within(form).getByRole('status')).toHaveTextContent('Image 1 approved.');
    expect(screen.getByText('Right blue, good crop')).toBeInTheDocument();

    await user.click(within(form).getByRole('button', { name: 'Take back decision' }));
    await waitFor(() => expect(screen.queryByText('Approved by Grace')).not.toBeInTheDocument());
    expect(within(form).queryByRole('button', { name: 'Take back decision' })).not.toBeInTheDocument();
  });

  it('shows the history of decisions in the large view, newest first', async () => {
    const job = completeJob({ job_id: 'r2', num_images: 1 });
    reviewServer(job);
    const { user } = renderApp('/jobs/r2', { signedInAs: 'Grace', reviewer: true });
    await user.click(await screen.findByRole('img', { name: /^Image 1 of 1/ }));
    const dialog = screen.getByRole('dialog', { name: 'Image 1 of 1' });
    const form = within(dialog).getByRole('group', { name: 'Review image 1' });
    await user.click(within(form).getByRole('button', { name: 'Reject' }));
    expect(await within(dialog).findByText('Rejected by Grace')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Take back decision' }));
    await waitFor(() => expect(within(dialog).queryByText('Rejected by Grace')).not.toBeInTheDocument());

    await user.click(within(dialog).getByText('Decision history'));
    const records = await within(dialog).findAllByRole('listitem');
    expect(records.map((li) => li.textContent?.split(',')[0])).toEqual([
      'Decision taken back by Grace',
      'Rejected by Grace',
    ]);
  });

  it('offers no review actions to someone without the reviewer role, but shows the standing decision', async () => {
    const job = completeJob({ job_id: 'r3', num_images: 1 });
    job.images = job.images!.map((image) => ({
      ...image,
      review: { decision: 'approved' as const, reviewer_name: 'Grace', decided_at: '2026-12-03T12:00:00Z' },
    }));
    reviewServer(job);
    renderApp('/jobs/r3', { signedInAs: 'ada' });
    expect(await screen.findByText('Approved by Grace')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Review image/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'To review' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Approved' })).toBeInTheDocument();
  });

  it('says why a decision was not saved', async () => {
    const job = completeJob({ job_id: 'r4', num_images: 1 });
    reviewServer(job);
    server.use(
      http.put(`${API}/jobs/r4/images/0/review`, () =>
        HttpResponse.json(errorBody('not_reviewable', 'The job is not complete.'), { status: 409 }),
      ),
    );
    const { user } = renderApp('/jobs/r4', { signedInAs: 'Grace', reviewer: true });
    await user.click(await screen.findByRole('button', { name: 'Review image 1' }));
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The decision was not saved');
  });
});
