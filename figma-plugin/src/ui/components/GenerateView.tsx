import { useEffect, useState } from 'react';
import type { SelectionInfo } from '../../messages';
import type { Api } from '../api/client';
import { cancelJob } from '../api/operations';
import { useJobPoll } from '../hooks/use-job-poll';
import type { usePlacer } from '../hooks/use-placer';
import { describeError } from '../lib/errors';
import { isActive } from '../lib/job-text';
import { GenerateForm } from './GenerateForm';
import { JobProgress } from './JobProgress';
import { Results } from './Results';

type Props = {
  api: Api;
  selection: SelectionInfo;
  pollMs?: number;
  placer: ReturnType<typeof usePlacer>;
  onAuthError: (error: unknown) => void;
};

/** The form, then the job it made: its progress while it runs, its images when it is done. */
export function GenerateView({ api, selection, pollMs, placer, onAuthError }: Props) {
  const [jobId, setJobId] = useState<string | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const { job, error, setJob } = useJobPoll(api, jobId, pollMs);
  const running = jobId !== null && (!job || isActive(job.status));

  useEffect(() => {
    if (error) onAuthError(error);
  }, [error]);

  async function cancel() {
    if (!jobId) return;
    setCancelError(null);
    try {
      setJob(await cancelJob(api, jobId));
    } catch (caught) {
      onAuthError(caught);
      setCancelError(describeError(caught));
    }
  }

  return (
    <div className="stack">
      <GenerateForm
        api={api}
        selection={selection}
        busy={running}
        onCreated={(id) => {
          setCancelError(null);
          setJobId(id);
        }}
        onAuthError={onAuthError}
      />
      {jobId ? (
        <JobProgress job={job} error={error} cancelError={cancelError} onCancel={running ? cancel : undefined} />
      ) : null}
      {job?.status === 'complete' ? <Results job={job} placer={placer} reveal /> : null}
    </div>
  );
}
