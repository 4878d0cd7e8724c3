import { describeError } from '@/lib/errors';
import { useCancelJob } from '../api/cancel-job';
import { isActive, type Job, type JobStatus } from '../api/get-job';
import { jobPhase, STATUS_WORDS, statusDetail, statusWord } from './status-text';
import styles from './JobView.module.css';

type Props = {
  jobId: string;
  /** Null until the first answer: then the placeholder status (or "Loading the job…") shows. */
  job: Job | null;
  placeholderStatus?: JobStatus;
};

/**
 * The status badge, where the job is (its place in the queue, the images the GPU makes before
 * it, the step), Cancel while it has not ended, and the progress bar while it renders. The
 * status region is the same element from the first render on, so screen readers announce each
 * change in it.
 */
export function JobStatusBar({ jobId, job, placeholderStatus }: Props) {
  const cancel = useCancelJob(jobId);
  if (!job) {
    return (
      <div className={styles.statusRow}>
        <div className={styles.statusText}>
          <p role="status" className={styles.status}>
            {placeholderStatus ? (
              <span className={`badge badge--${placeholderStatus}`}>{STATUS_WORDS[placeholderStatus]}</span>
            ) : (
              'Loading the job…'
            )}
          </p>
        </div>
      </div>
    );
  }
  const active = isActive(job.status);
  const phase = jobPhase(job);
  const detail = statusDetail(job);
  const waiting = phase === 'waiting_for_gpu';
  // The badge's colour: waiting for the GPU looks like waiting in the queue, not like rendering.
  const badge = active && waiting ? 'queued' : job.status;

  // A fragment whose first child is the row above: React keeps the row, and the region in it.
  return (
    <>
      <div className={styles.statusRow}>
        <div className={styles.statusText}>
          {/* The status region holds the status word (and, once the job has ended, what came of
              it): the queue place and the step change on every poll and are shown beside it
              and in the progress bar, not read out each time. */}
          <p role="status" className={styles.status} data-status={job.status} data-phase={phase}>
            <span className={`badge badge--${badge}`}>{statusWord(job)}</span>
            {!active && detail ? <> <span>{detail}</span></> : null}
          </p>
          {active && phase !== 'rendering' && detail ? <p className={styles.queue}>{detail}</p> : null}
        </div>
        {active ? (
          <button type="button" className="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
            {cancel.isPending ? 'Cancelling…' : 'Cancel job'}
          </button>
        ) : null}
      </div>

      {/* The bar's place is kept from submission to the images (empty before and after the
          steps), so the tiles under it do not move when it comes or goes. */}
      {active || job.status === 'complete' ? (
        <div className={styles.progress}>
          {job.status === 'running' && phase === 'rendering' ? (
            <>
              <progress
                aria-label="Progress"
                aria-valuetext={detail ?? undefined}
                max={job.progress?.total || 1}
                value={job.progress ? job.progress.step : undefined}
              />
              <span aria-hidden="true" className={styles.progressText}>
                {detail}
              </span>
            </>
          ) : (
            <>
              <span aria-hidden="true" className={styles.progressSpace} />
              <span aria-hidden="true" className={styles.progressText}>
                {'\u00a0'}
              </span>
            </>
          )}
        </div>
      ) : null}

      {cancel.error ? (
        <p role="alert" className="field-error">
          {describeError(cancel.error)}
        </p>
      ) : null}
    </>
  );
}
