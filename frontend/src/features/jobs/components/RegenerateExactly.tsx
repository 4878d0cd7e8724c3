import { useRef, useState } from 'react';
import { Dialog } from '@/components/Dialog';
import { describeError } from '@/lib/errors';
import { useCheckRecipe, useRegenerateJob } from '../api/regenerate-job';
import styles from './JobView.module.css';

type Props = { jobId: string; onRegenerated: (jobId: string) => void };

/**
 * "Regenerate exactly": runs the job's recorded recipe again (same model, style version, settings
 * and seeds). The recipe is checked first; when the result will differ (a new style version, other
 * model weights) a dialog says why before anything starts.
 */
export function RegenerateExactly({ jobId, onRegenerated }: Props) {
  const check = useCheckRecipe(jobId);
  const regenerate = useRegenerateJob(jobId);
  const [differences, setDifferences] = useState<string[] | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const busy = check.isPending || regenerate.isPending;

  const start = () =>
    regenerate.mutate(undefined, {
      onSuccess: (accepted) => {
        setDifferences(null);
        onRegenerated(accepted.job_id);
      },
    });

  return (
    <>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => {
          regenerate.reset();
          check.mutate(undefined, {
            onSuccess: (result) => (result.exact ? start() : setDifferences(result.differences)),
          });
        }}
      >
        {busy && differences === null ? 'Checking the recipe…' : 'Regenerate exactly'}
      </button>
      {check.error ? (
        <p role="alert" className={`field-error ${styles.fullRow}`}>
          The recipe could not be checked: {describeError(check.error)}
        </p>
      ) : null}
      {regenerate.error && differences === null ? (
        <p role="alert" className={`field-error ${styles.fullRow}`}>
          The job could not be regenerated: {describeError(regenerate.error)}
        </p>
      ) : null}
      {differences !== null ? (
        <Dialog title="The new images will differ" onClose={() => setDifferences(null)} initialFocus={cancelRef}>
          <p>Regenerating now will not give the same pixels as this job:</p>
          <ul>
            {differences.map((difference) => (
              <li key={difference}>{difference}</li>
            ))}
          </ul>
          {regenerate.error ? (
            <p role="alert" className="field-error">
              {describeError(regenerate.error)}
            </p>
          ) : null}
          <div className={styles.dialogActions}>
            <button ref={cancelRef} type="button" className="button" onClick={() => setDifferences(null)}>
              Cancel
            </button>
            <button type="button" className="button button--primary" disabled={regenerate.isPending} onClick={start}>
              {regenerate.isPending ? 'Starting…' : 'Regenerate anyway'}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
