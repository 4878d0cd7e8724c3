import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { reviewKeys } from '@/lib/query-keys';

export type ReviewRecord = components['schemas']['ReviewRecord'];

/** Every decision on an image, newest first (the job's owner and reviewers may read it). */
export async function getReviewHistory(jobId: string, index: number): Promise<ReviewRecord[]> {
  return unwrap(
    await api().GET('/jobs/{job_id}/images/{index}/reviews', { params: { path: { job_id: jobId, index } } }),
  );
}

export const reviewHistoryQueryOptions = (jobId: string, index: number) =>
  queryOptions({ queryKey: reviewKeys.history(jobId, index), queryFn: () => getReviewHistory(jobId, index) });

/** Fetched only once the history is opened. */
export function useReviewHistory(jobId: string, index: number, enabled: boolean) {
  return useQuery({ ...reviewHistoryQueryOptions(jobId, index), enabled });
}
