import { Link } from 'react-router';
import { ErrorMessage } from '@/components/ErrorMessage';
import { ImageCard } from '@/components/ImageCard';
import cardStyles from '@/components/ImageCard.module.css';
import { Pager } from '@/components/Pager';
import { PENDING_PER_PAGE, usePendingReviews } from '../api/get-pending-reviews';
import { ImageReview } from './ImageReview';

type Props = { page: number; onPageChange: (page: number) => void };

/** The reviewers' queue: recent images of every user's complete jobs on which no decision stands. */
export function PendingReviews({ page, onPageChange }: Props) {
  const query = usePendingReviews(page);
  const data = query.data;
  if (!data) {
    if (query.error) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
    return <p role="status">Loading the images to review…</p>;
  }
  const pages = Math.max(1, Math.ceil(data.total / PENDING_PER_PAGE));
  const count = `${data.total} ${data.total === 1 ? 'image waits' : 'images wait'} for a decision`;
  return (
    <div className="stack">
      <p role="status">{data.total === 0 ? 'Nothing to review: every recent image has a decision.' : count}</p>
      {query.error ? <ErrorMessage error={query.error} onRetry={() => void query.refetch()} /> : null}
      {data.items.length ? (
        <ul className={cardStyles.grid} aria-label="Images to review">
          {data.items.map((image, i) => (
            <ImageCard key={`${image.job_id}-${image.index}`} image={image}>
              <Link to={`/jobs/${encodeURIComponent(image.job_id)}`}>
                Open its job<span className="visually-hidden">: {image.prompt}</span>
              </Link>
              <ImageReview jobId={image.job_id} index={image.index} review={image.review} n={i + 1} canReview />
            </ImageCard>
          ))}
        </ul>
      ) : null}
      <Pager page={page} pages={pages} onPageChange={onPageChange} />
    </div>
  );
}
