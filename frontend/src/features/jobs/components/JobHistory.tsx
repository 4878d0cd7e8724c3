import { useCallback, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Pager } from '@/components/Pager';
import type { Job } from '../api/get-job';
import { JOBS_PER_PAGE, useJobsPage } from '../api/list-jobs';
import { activeFilterCount, apiQueryOf, type HistoryFilters, NO_FILTERS } from './history-filters';
import { ImageViewer } from './ImageViewer';
import { JobHistoryCard } from './JobHistoryCard';
import { JobHistoryFilters } from './JobHistoryFilters';
import styles from './JobHistory.module.css';

type Props = {
  filters: HistoryFilters;
  page: number;
  onFiltersChange: (filters: HistoryFilters, options?: { replace?: boolean }) => void;
  onPageChange: (page: number) => void;
};

function jobsText(n: number): string {
  return `${n} ${n === 1 ? 'job' : 'jobs'}`;
}

/** The caller's jobs as a gallery of their images, newest first, filtered, a page of 100 at a time. */
export function JobHistory({ filters, page, onFiltersChange, onPageChange }: Props) {
  const apiQuery = useMemo(() => apiQueryOf(filters), [filters]);
  const query = useJobsPage(apiQuery, page);
  const data = query.data;
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const [viewing, setViewing] = useState<{ job: Job; index: number } | null>(null);
  // Stable, so the memoised cards do not re-render for it.
  const openImage = useCallback((job: Job, index: number) => {
    setViewing({ job: { ...job, images: [...(job.images ?? [])].sort((a, b) => a.index - b.index) }, index });
  }, []);
  const filtered = activeFilterCount(filters) > 0;

  if (!data) {
    if (query.error) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
    return <p role="status">Loading your jobs…</p>;
  }

  if (data.total === 0 && !filtered) {
    return (
      <div className={styles.empty}>
        <p>No jobs yet.</p>
        <Link className="button button--primary" to="/">
          Make your first images
        </Link>
      </div>
    );
  }

  const pages = Math.max(1, Math.ceil(data.total / JOBS_PER_PAGE));
  // On the first or last page the button just pressed turns off and would drop focus to the
  // page's start: put it on the summary of what is shown instead.
  const goTo = (next: number) => {
    onPageChange(next);
    if (next <= 1 || next >= pages) summaryRef.current?.focus();
  };

  let summary = filtered ? `${jobsText(data.total)} ${data.total === 1 ? 'matches' : 'match'}` : jobsText(data.total);
  if (data.total > 0 && !data.items.length) summary += `; none on page ${page}`;
  else if (pages > 1) summary += `, page ${page} of ${pages}`;

  return (
    <div className={styles.history} aria-busy={query.isPlaceholderData || undefined}>
      <JobHistoryFilters filters={filters} onChange={onFiltersChange} />
      <p ref={summaryRef} className={styles.summary} role="status" tabIndex={-1}>
        {data.total === 0 ? 'No jobs match these filters.' : summary}
      </p>
      {query.error ? <ErrorMessage error={query.error} onRetry={() => void query.refetch()} /> : null}
      {data.total === 0 ? (
        <div className={styles.empty}>
          <button type="button" className="button" onClick={() => onFiltersChange(NO_FILTERS)}>
            Clear filters
          </button>
        </div>
      ) : (
        <ol className={styles.gallery} aria-label="Jobs">
          {data.items.map((job) => (
            <JobHistoryCard key={job.job_id} job={job} onOpenImage={openImage} />
          ))}
        </ol>
      )}
      <Pager page={page} pages={pages} onPageChange={goTo} previous="Newer" next="Older" />
      {viewing ? (
        <ImageViewer
          job={viewing.job}
          index={viewing.index}
          onIndexChange={(index) => setViewing({ ...viewing, index })}
          onClose={() => setViewing(null)}
        />
      ) : null}
    </div>
  );
}
