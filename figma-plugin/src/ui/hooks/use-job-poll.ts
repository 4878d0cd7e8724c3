import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-error';
import type { Api, Job } from '../api/client';
import { getJob } from '../api/operations';
import { isActive } from '../lib/job-text';

/** About once a second while a job is queued or running (Figma users watch the panel). */
export const JOB_POLL_MS = 1000;
/** How long to wait after a failed refresh when the server did not say (no Retry-After). */
export const JOB_ERROR_BACKOFF_MS = 5000;

type State = { job: Job | null; error: unknown };

/**
 * The job, asked about every `pollMs` until it has ended. A failed refresh does not stop it (a
 * Retry-After is honoured, other failures back off), except answers asking again cannot change.
 */
export function useJobPoll(api: Api, jobId: string | null, pollMs = JOB_POLL_MS): State & { setJob: (job: Job) => void } {
  const [state, setState] = useState<State>({ job: null, error: null });

  useEffect(() => {
    setState({ job: null, error: null });
    if (!jobId) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;

    async function poll() {
      let next: number | null = pollMs;
      try {
        const job = await getJob(api, jobId!, controller.signal);
        setState({ job, error: null });
        if (!isActive(job.status)) next = null;
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, error }));
        if (error instanceof ApiError && [401, 403, 404].includes(error.status)) next = null;
        else if (error instanceof ApiError && error.retryAfterSeconds !== null) {
          next = Math.max(pollMs, error.retryAfterSeconds * 1000);
        } else next = Math.max(pollMs, JOB_ERROR_BACKOFF_MS);
      }
      if (next !== null && !controller.signal.aborted) timer = setTimeout(poll, next);
    }

    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, jobId, pollMs]);

  // A cancel answers with the job as it now is: shown at once, and the poll then stops by itself.
  const setJob = (job: Job) => setState({ job, error: null });
  return { ...state, setJob };
}
