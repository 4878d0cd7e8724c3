import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { jobKeys, libraryKeys, reviewKeys } from '@/lib/query-keys';

export type ReviewRequest = components['schemas']['ReviewRequest'];
export type ReviewState = components['schemas']['ImageReviewState'];

/** The most characters a comment may have (the API refuses more). */
export const MAX_COMMENT_LENGTH = 1000;

type ImageRef = { jobId: string; index: number };

const path = ({ jobId, index }: ImageRef) => ({ path: { job_id: jobId, index } });

/** PUT /jobs/{id}/images/{index}/review: approve or reject (reviewers only). */
export async function reviewImage(image: ImageRef, body: ReviewRequest): Promise<ReviewState> {
  return unwrap(await api().PUT('/jobs/{job_id}/images/{index}/review', { params: path(image), body }));
}

/** DELETE /jobs/{id}/images/{index}/review: take the standing decision back. */
export async function clearReview(image: ImageRef): Promise<void> {
  unwrap(await api().DELETE('/jobs/{job_id}/images/{index}/review', { params: path(image) }));
}

/** After a decision: the job's image, its history, the reviewers' queue and the library are all stale. */
function refreshAfter(queryClient: QueryClient, { jobId }: ImageRef) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: jobKeys.detail(jobId) }),
    queryClient.invalidateQueries({ queryKey: jobKeys.lists() }),
    queryClient.invalidateQueries({ queryKey: reviewKeys.all }),
    queryClient.invalidateQueries({ queryKey: libraryKeys.all }),
  ]);
}

export function useReviewImage(image: ImageRef) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReviewRequest) => reviewImage(image, body),
    onSettled: () => refreshAfter(queryClient, image),
  });
}

export function useClearReview(image: ImageRef) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => clearReview(image),
    onSettled: () => refreshAfter(queryClient, image),
  });
}
