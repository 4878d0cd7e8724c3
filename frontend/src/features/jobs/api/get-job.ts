import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { jobKeys } from '@/lib/query-keys';

export type Job = components['schemas']['JobPublic'];
export type JobStatus = components['schemas']['JobStatus'];

/** How often a queued or running job is asked about (the seed says every 2 s). */
export const JOB_POLL_MS = 2000;

export function isActive(status: JobStatus | undefined): boolean {
  return status === 'queued' || status === 'running';
}

export async function getJob(jobId: string): Promise<Job> {
  return unwrap(await api().GET('/jobs/{job_id}', { params: { path: { job_id: jobId } } }));
}

export const jobQueryOptions = (jobId: string) =>
  queryOptions({
    queryKey: jobKeys.detail(jobId),
    queryFn: () => getJob(jobId),
    // Poll while the job can still change; stop once it has ended (or failed to load).
    refetchInterval: (query) => (isActive(query.state.data?.status) && !query.state.error ? JOB_POLL_MS : false),
    // No polling while the tab is hidden; TanStack refetches when it is shown again.
    refetchIntervalInBackground: false,
    staleTime: 0,
  });

export function useJob(jobId: string) {
  return useQuery(jobQueryOptions(jobId));
}
