import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { reviewKeys } from '@/lib/query-keys';

export type LibraryPage = components['schemas']['LibraryPage'];

export const PENDING_PER_PAGE = 48;

/** Recent images of every user's complete jobs on which no decision stands (reviewers only). */
export async function getPendingReviews(page: number): Promise<LibraryPage> {
  return unwrap(
    await api().GET('/reviews/pending', {
      params: { query: { limit: PENDING_PER_PAGE, offset: (page - 1) * PENDING_PER_PAGE } },
    }),
  );
}

export const pendingReviewsQueryOptions = (page: number) =>
  queryOptions({
    queryKey: reviewKeys.pending(page),
    queryFn: () => getPendingReviews(page),
    placeholderData: keepPreviousData,
  });

export function usePendingReviews(page: number) {
  return useQuery(pendingReviewsQueryOptions(page));
}
