import { useId, useState } from 'react';
import { describeError } from '@/lib/errors';
import { formatTime } from '@/lib/format';
import { useReviewHistory } from '../api/get-review-history';
import { MAX_COMMENT_LENGTH, useClearReview, useReviewImage, type ReviewState } from '../api/review-image';
import styles from './ImageReview.module.css';

type Props = {
  jobId: string;
  index: number;
  review: ReviewState | null | undefined;
  /** The image's place as shown, from 1 (names the controls: "Review image 2"). */
  n: number;
  canReview: boolean;
  /** In a tile the decision folds behind a "Review image N" button; in the large view it is open. */
  compact?: boolean;
  /** The history of decisions (the job's owner and reviewers may read it). */
  showHistory?: boolean;
};

/**
 * What a reviewer does with an image: approve or reject it with an optional comment, or take the
 * standing decision back; and, for those who may read it, every decision so far. The standing
 * decision itself is shown by ImageFacts, to everyone.
 */
export function ImageReview({ jobId, index, review, n, canReview, compact = false, showHistory = false }: Props) {
  const id = useId();
  const [open, setOpen] = useState(!compact);
  if (!canReview && !showHistory) return null;
  return (
    <div className={styles.review}>
      {canReview && compact ? (
        <button
          type="button"
          className="button button--small"
          aria-expanded={open}
          aria-controls={`${id}-form`}
          onClick={() => setOpen(!open)}
        >
          Review image {n}
        </button>
      ) : null}
      {canReview && open ? <ReviewForm id={`${id}-form`} jobId={jobId} index={index} review={review} n={n} /> : null}
      {showHistory ? <ReviewHistory jobId={jobId} index={index} /> : null}
    </div>
  );
}

type FormProps = { id: string; jobId: string; index: number; review: ReviewState | null | undefined; n: number };

function ReviewForm({ id, jobId, index, review, n }: FormProps) {
  const [comment, setComment] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const decide = useReviewImage({ jobId, index });
  const clear = useClearReview({ jobId, index });
  const busy = decide.isPending || clear.isPending;
  const error = decide.error ?? clear.error;

  const submit = (decision: 'approved' | 'rejected') => {
    setDone(null);
    clear.reset();
    decide.mutate(
      { decision, comment: comment.trim() || null },
      {
        onSuccess: () => {
          setComment('');
          setDone(decision === 'approved' ? `Image ${n} approved.` : `Image ${n} rejected.`);
        },
      },
    );
  };

  return (
    <div id={id} role="group" aria-label={`Review image ${n}`} className={styles.form}>
      <div className="field">
        <label htmlFor={`${id}-comment`}>Comment (optional)</label>
        <textarea
          id={`${id}-comment`}
          className={styles.comment}
          value={comment}
          maxLength={MAX_COMMENT_LENGTH}
          rows={2}
          onChange={(event) => setComment(event.target.value)}
        />
      </div>
      <div className={styles.actions}>
        <button type="button" className="button button--small" disabled={busy} onClick={() => submit('approved')}>
          Approve
        </button>
        <button type="button" className="button button--small" disabled={busy} onClick={() => submit('rejected')}>
          Reject
        </button>
        {review ? (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() => {
              setDone(null);
              decide.reset();
              clear.mutate(undefined, { onSuccess: () => setDone(`Decision on image ${n} taken back.`) });
            }}
          >
            Take back decision
          </button>
        ) : null}
      </div>
      <p role="status" className={styles.done}>
        {done}
      </p>
      {error ? (
        <p role="alert" className="field-error">
          The decision was not saved: {describeError(error)}
        </p>
      ) : null}
    </div>
  );
}

const DECISION_WORDS = { approved: 'Approved', rejected: 'Rejected', cleared: 'Decision taken back' } as const;

/** Every decision on the image, newest first, fetched when opened. */
function ReviewHistory({ jobId, index }: { jobId: string; index: number }) {
  const [open, setOpen] = useState(false);
  const history = useReviewHistory(jobId, index, open);
  return (
    <details className={styles.history} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Decision history</summary>
      {history.data ? (
        history.data.length ? (
          <ol className={styles.records}>
            {history.data.map((record) => (
              <li key={`${record.decided_at}-${record.decision}`}>
                <strong>{DECISION_WORDS[record.decision]}</strong> by {record.reviewer_name},{' '}
                <time dateTime={record.decided_at}>{formatTime(record.decided_at)}</time>
                {record.comment ? <q className={styles.recordComment}>{record.comment}</q> : null}
              </li>
            ))}
          </ol>
        ) : (
          <p>No decisions yet.</p>
        )
      ) : history.error ? (
        <p role="alert" className="field-error">
          The history could not be loaded: {describeError(history.error)}
        </p>
      ) : open ? (
        <p role="status">Loading…</p>
      ) : null}
    </details>
  );
}
