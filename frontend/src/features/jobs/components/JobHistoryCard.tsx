import { memo, type CSSProperties } from 'react';
import { Link } from 'react-router';
import type { Job } from '../api/get-job';
import { formatTime, styleWithVersion } from '@/lib/format';
import { smallThumbnailWidth, thumbnailWidth } from '@/lib/thumbnails';
import { imageAlt, STATUS_WORDS } from './status-text';
import styles from './JobHistory.module.css';

type Props = {
  job: Job;
  /** Opens one of the job's images large; `index` is its place among the job's sorted images. */
  onOpenImage: (job: Job, index: number) => void;
};


function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What a job that has no images yet (or never will) is doing, for its tile. The list leaves out
 * each job's place in line (a query per row): the job's own page says it. */
export function waitingText(job: Job): string {
  if (job.status === 'running') {
    if (job.phase === 'waiting_for_gpu') return 'Waiting for the GPU';
    return job.progress ? `Step ${job.progress.step} of ${job.progress.total}` : 'Rendering';
  }
  if (job.status === 'queued') return 'Waiting in the queue';
  if (job.status === 'failed') return job.error || 'No reason was given.';
  return 'No images were made.';
}

/**
 * One job in the gallery: its images (each in a box of the job's own shape, so nothing moves as
 * they load), or a tile saying where the job is; then what it was asked for and a link to it.
 * Memoised: a refresh of the list re-renders only the jobs whose data changed (TanStack keeps the
 * others' objects as they were).
 */
export const JobHistoryCard = memo(function JobHistoryCard({ job, onOpenImage }: Props) {
  const images = [...(job.images ?? [])].sort((a, b) => a.index - b.index);
  const count = job.status === 'complete' ? images.length : job.num_images;
  const shape: CSSProperties = { aspectRatio: `${job.width} / ${job.height}` };
  // The image grid is two across for 2–4 images: each tile is half the card (a card is half a phone).
  const sizes = images.length > 1 ? '(max-width: 40rem) 25vw, 7rem' : '(max-width: 40rem) 50vw, 14rem';
  const style = styleWithVersion(job.style, job.style_version);
  const details = [plural(count, 'image'), style, job.model].filter(Boolean).join(' · ');
  const href = `/jobs/${encodeURIComponent(job.job_id)}`;

  return (
    <li className={styles.card} data-job-id={job.job_id}>
      {job.status === 'complete' && images.length ? (
        <div className={images.length > 1 ? `${styles.images} ${styles.imagesMany}` : styles.images}>
          {images.map((image, i) => (
            <button
              key={image.index}
              type="button"
              className={styles.tile}
              style={{ aspectRatio: `${image.width} / ${image.height}` }}
              onClick={() => onOpenImage(job, i)}
            >
              <img
                src={image.small_thumbnail_url}
                srcSet={`${image.small_thumbnail_url} ${smallThumbnailWidth(image.width, image.height)}w, ${image.thumbnail_url} ${thumbnailWidth(image.width, image.height)}w`}
                sizes={sizes}
                alt={imageAlt(i + 1, images.length, job.prompt)}
                width={image.width}
                height={image.height}
                loading="lazy"
                decoding="async"
              />
            </button>
          ))}
        </div>
      ) : (
        <div className={`${styles.tile} ${styles.statusTile}`} style={shape}>
          <span className={`badge badge--${job.status}`}>{STATUS_WORDS[job.status]}</span>{' '}
          <span className={styles.waiting}>{waitingText(job)}</span>
        </div>
      )}
      <div className={styles.caption}>
        <Link to={href} className={styles.prompt}>
          {job.prompt}
        </Link>
        <p className={styles.details}>{details}</p>
        <p className={styles.when}>
          {job.demo ? <span>Demo model · </span> : null}
          <time dateTime={job.created_at}>{formatTime(job.created_at)}</time>
        </p>
      </div>
    </li>
  );
});
