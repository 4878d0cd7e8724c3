import type { components } from '@/api/schema';
import { formatTime } from '@/lib/format';
import styles from './ImageFacts.module.css';

export type ReviewState = components['schemas']['ImageReviewState'];

export function reviewText(review: ReviewState): string {
  return `${review.decision === 'approved' ? 'Approved' : 'Rejected'} by ${review.reviewer_name}`;
}

/** The standing review decision, shown to everyone who sees the image; nothing when none stands. */
export function ReviewBadge({ review }: { review: ReviewState | null | undefined }) {
  if (!review) return null;
  return (
    <p className={styles.review}>
      <span className={`badge ${review.decision === 'approved' ? 'badge--complete' : 'badge--failed'}`}>
        {reviewText(review)}
      </span>{' '}
      <time className={styles.reviewWhen} dateTime={review.decided_at}>
        {formatTime(review.decided_at)}
      </time>
      {review.comment ? <q className={styles.comment}>{review.comment}</q> : null}
    </p>
  );
}
