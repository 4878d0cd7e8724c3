import type { Job } from '../api/client';
import { describeError } from '../lib/errors';
import { progressText } from '../lib/job-text';

type Props = {
  job: Job | null;
  /** The last refresh failed (the poll goes on unless the answer cannot change). */
  error: unknown;
  cancelError: string | null;
  /** Present while the job can still be cancelled. */
  onCancel?: () => void;
};

/** Where the job is, as the web app says it, with a step bar while it renders and a Cancel button. */
export function JobProgress({ job, error, cancelError, onCancel }: Props) {
  const text = job ? progressText(job) : 'Sending…';
  const active = !job || job.status === 'queued' || job.status === 'running';
  const steps = job?.status === 'running' && job.phase === 'rendering' ? job.progress : null;
  return (
    <div className={`progress${job?.status === 'failed' ? ' progress--failed' : ''}`}>
      {/* Busy while the job runs: screen readers say where it ended up, not every step. */}
      <p role="status" aria-busy={active} className="progress-text">
        {text}
      </p>
      {steps ? <progress max={steps.total} value={steps.step} aria-label="Steps done" /> : null}
      {error ? <p className="field-error">{describeError(error)}</p> : null}
      {cancelError ? (
        <p role="alert" className="field-error">
          {cancelError}
        </p>
      ) : null}
      {onCancel ? (
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
