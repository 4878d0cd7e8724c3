import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { jobKeys } from '@/lib/query-keys';
import { isActive } from './get-job';

export type JobPage = components['schemas']['JobPage'];

export const JOBS_PER_PAGE = 20;

/** One page of the caller's jobs, newest first; pages count from 1. */
export async function listJobs(page: number): Promise<JobPage> {
  return unwrap(
    await api().GET('/jobs', {
      params: { query: { limit: JOBS_PER_PAGE, offset: (page - 1) * JOBS_PER_PAGE } },
    }),
  );
}

export const jobsPageQueryOptions = (page: number) =>
  queryOptions({
    queryKey: jobKeys.list(page),
    queryFn: () => listJobs(page),
    placeholderData: keepPreviousData,
    // Entries still queued or running update on their own, more slowly than an open job.
    refetchInterval: (query) =>
      query.state.data?.items.some((job) => isActive(job.status)) ? 5000 : false,
    refetchIntervalInBackground: false,
  });

export function useJobsPage(page: number) {
  return useQuery(jobsPageQueryOptions(page));
}
