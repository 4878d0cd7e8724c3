import { useRef } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '@/components/ErrorMessage';
import { JOBS_PER_PAGE, useJobsPage } from '../api/list-jobs';
import { formatTime, queueText, STATUS_WORDS } from './status-text';
import styles from './JobHistory.module.css';

type Props = {
  page: number;
  onPageChange: (page: number) => void;
};

/** The caller's jobs, newest first, a page at a time. */
export function JobHistory({ page, onPageChange }: Props) {
  const query = useJobsPage(page);
  const data = query.data;
  const summaryRef = useRef<HTMLParagraphElement>(null);

  if (!data) {
    if (query.error) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
    return <p role="status">Loading your jobs…</p>;
  }

  const first = data.total === 0 ? 0 : data.offset + 1;
  const last = data.offset + data.items.length;
  const pages = Math.max(1, Math.ceil(data.total / JOBS_PER_PAGE));

  // On the first or last page the button just pressed turns off and would drop focus to the
  // page's start: put it on the summary of what is shown instead.
  const goTo = (next: number) => {
    onPageChange(next);
    if (next <= 1 || next >= pages) summaryRef.current?.focus();
  };

  if (data.total === 0) {
    return (
      <div className={styles.empty}>
        <p>No jobs yet.</p>
        <Link className="button button--primary" to="/">
          Make your first images
        </Link>
      </div>
    );
  }

  return (
    <div className={styles.history} aria-busy={query.isPlaceholderData || undefined}>
      <p ref={summaryRef} className={styles.summary} role="status" tabIndex={-1}>
        {data.items.length
          ? `Jobs ${first}–${last} of ${data.total}`
          : `No jobs on page ${page}; there ${pages === 1 ? 'is 1 page' : `are ${pages} pages`}.`}
      </p>
      {query.error ? <ErrorMessage error={query.error} onRetry={() => void query.refetch()} /> : null}
      <ol className={styles.list}>
        {data.items.map((job) => {
          const thumb = [...(job.images ?? [])].sort((a, b) => a.index - b.index)[0];
          const queue = job.status === 'queued' ? queueText(job.queue_position) : null;
          return (
            <li key={job.job_id}>
              <Link to={`/jobs/${encodeURIComponent(job.job_id)}`} className={styles.item}>
                <span className={styles.thumb}>
                  {thumb ? (
                    <img src={thumb.small_thumbnail_url} alt="" width={thumb.width} height={thumb.height} loading="lazy" decoding="async" />
                  ) : (
                    <span className={styles.noThumb} aria-hidden="true" />
                  )}
                </span>
                <span className={styles.text}>
                  {/* The spaces keep the link's accessible name readable: "prompt, status, time". */}
                  <span className={styles.prompt}>{job.prompt}</span>{' '}
                  <span className={styles.meta}>
                    <span className={`badge badge--${job.status}`}>{STATUS_WORDS[job.status]}</span>{' '}
                    {queue ? <span>{queue} </span> : null}
                    {job.status === 'running' && job.progress ? (
                      <span>
                        Step {job.progress.step} of {job.progress.total}{' '}
                      </span>
                    ) : null}
                    {job.demo ? <span>Demo model </span> : null}
                    <time dateTime={job.created_at}>{formatTime(job.created_at)}</time>
                  </span>
                </span>
              </Link>
            </li>
          );
        })}
      </ol>
      <nav className={styles.pager} aria-label="Pages">
        <button type="button" className="button" disabled={page <= 1} onClick={() => goTo(page - 1)}>
          Newer
        </button>
        <span className={styles.pageOf}>
          Page {page} of {pages}
        </span>
        <button type="button" className="button" disabled={page >= pages} onClick={() => goTo(page + 1)}>
          Older
        </button>
      </nav>
    </div>
  );
}
