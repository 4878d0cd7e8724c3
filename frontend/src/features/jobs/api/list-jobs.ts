import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { components, operations } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { jobKeys } from '@/lib/query-keys';
import { isActive } from './get-job';

export type JobPage = components['schemas']['JobPage'];

/** The filters GET /jobs takes (everything but the page's limit and offset). */
export type JobListQuery = Omit<NonNullable<operations['list_jobs']['parameters']['query']>, 'limit' | 'offset'>;

/** The API's largest page: a gallery of 100 jobs is one request. */
export const JOBS_PER_PAGE = 100;

/** One page of the caller's jobs that match `filters`, newest first; pages count from 1. */
export async function listJobs(filters: JobListQuery, page: number): Promise<JobPage> {
  return unwrap(
    await api().GET('/jobs', {
      params: { query: { ...filters, limit: JOBS_PER_PAGE, offset: (page - 1) * JOBS_PER_PAGE } },
    }),
  );
}

export const jobsPageQueryOptions = (filters: JobListQuery, page: number) =>
  queryOptions({
    queryKey: jobKeys.list(filters, page),
    queryFn: () => listJobs(filters, page),
    placeholderData: keepPreviousData,
    // Entries still queued or running update on their own, more slowly than an open job.
    refetchInterval: (query) =>
      query.state.data?.items.some((job) => isActive(job.status)) ? 5000 : false,
    refetchIntervalInBackground: false,
  });

export function useJobsPage(filters: JobListQuery, page: number) {
  return useQuery(jobsPageQueryOptions(filters, page));
}
