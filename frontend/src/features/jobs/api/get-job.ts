import { queryOptions, useQuery, type Query } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { isApiError } from '@/lib/api-error';
import { jobKeys } from '@/lib/query-keys';

export type Job = components['schemas']['JobPublic'];
/** Where a job is on its way to images: waiting for the GPU is not rendering. */
export type JobPhase = components['schemas']['JobPhase'];
export type JobStatus = components['schemas']['JobStatus'];

/** How often a queued or running job is asked about (the seed says every 2 s). */
export const JOB_POLL_MS = 2000;
/** How often while the tab is hidden: slower, but a job that ends is still noticed (title, notification). */
export const JOB_HIDDEN_POLL_MS = 6000;
/** How long to wait after a failed refresh when the server did not say (no Retry-After). */
export const JOB_ERROR_BACKOFF_MS = 5000;

export function isActive(status: JobStatus | undefined): boolean {
  return status === 'queued' || status === 'running';
}

export async function getJob(jobId: string): Promise<Job> {
  return unwrap(await api().GET('/jobs/{job_id}', { params: { path: { job_id: jobId } } }));
}

/**
 * When to ask about the job next: every 2 s while the last known state is queued or running
 * (every 6 s while the tab is hidden), never once it has ended. A failed refresh does not end
 * polling: after a 503 or 429 the server's Retry-After is honoured, other failures (network, 5xx)
 * back off; only answers that asking again cannot change (401, 403, 404) stop it.
 */
export function jobRefetchInterval(query: Pick<Query<Job>, 'state'>): number | false {
  const { data, error } = query.state;
  if (!isActive(data?.status)) return false;
  const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
  const every = hidden ? JOB_HIDDEN_POLL_MS : JOB_POLL_MS;
  if (!error) return every;
  if (isApiError(error) && [401, 403, 404].includes(error.status)) return false;
  if (isApiError(error) && error.retryAfterSeconds !== null) {
    return Math.max(every, error.retryAfterSeconds * 1000);
  }
  return JOB_ERROR_BACKOFF_MS;
}

export const jobQueryOptions = (jobId: string) =>
  queryOptions({
    queryKey: jobKeys.detail(jobId),
    queryFn: () => getJob(jobId),
    refetchInterval: jobRefetchInterval,
    // A hidden tab keeps asking about a job that has not ended (more slowly, see
    // jobRefetchInterval), so it can say the images are ready; an ended job is not polled at all.
    refetchIntervalInBackground: true,
    staleTime: 0,
  });

export function useJob(jobId: string) {
  return useQuery(jobQueryOptions(jobId));
}
