import { useMemo } from 'react';
import { ErrorMessage } from '@/components/ErrorMessage';
import { ImageCard } from '@/components/ImageCard';
import { Pager } from '@/components/Pager';
import cardStyles from '@/components/ImageCard.module.css';
import { LIBRARY_PER_PAGE, useLibrary } from '../api/get-library';
import { isFiltered, libraryQueryOf, NO_LIBRARY_FILTERS, type LibraryFilters as Filters } from './library-filters';
import { LibraryFilters } from './LibraryFilters';
import styles from './Library.module.css';

type Props = {
  filters: Filters;
  page: number;
  onFiltersChange: (filters: Filters, options?: { replace?: boolean }) => void;
  onPageChange: (page: number) => void;
};

function imagesText(n: number): string {
  return `${n} approved ${n === 1 ? 'image' : 'images'}`;
}

/** The Approved library: every user's approved images, for everyone; rejected ones are never here. */
export function Library({ filters, page, onFiltersChange, onPageChange }: Props) {
  const query = useLibrary(useMemo(() => libraryQueryOf(filters), [filters]), page);
  const data = query.data;
  if (!data) {
    if (query.error) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
    return <p role="status">Loading the library…</p>;
  }
  const filtered = isFiltered(filters);
  const pages = Math.max(1, Math.ceil(data.total / LIBRARY_PER_PAGE));
  let summary: string;
  if (data.total === 0) summary = filtered ? 'No approved images match these filters.' : 'No images have been approved yet.';
  else summary = `${imagesText(data.total)}${filtered ? ' match' : ''}${pages > 1 ? `, page ${page} of ${pages}` : ''}`;

  return (
    <div className={styles.library} aria-busy={query.isPlaceholderData || undefined}>
      <LibraryFilters filters={filters} onChange={onFiltersChange} />
      <p className={styles.summary} role="status">
        {summary}
      </p>
      {query.error ? <ErrorMessage error={query.error} onRetry={() => void query.refetch()} /> : null}
      {data.total === 0 && filtered ? (
        <button type="button" className="button" onClick={() => onFiltersChange(NO_LIBRARY_FILTERS)}>
          Clear filters
        </button>
      ) : null}
      {data.items.length ? (
        <ul className={cardStyles.grid} aria-label="Approved images">
          {data.items.map((image) => (
            <ImageCard key={`${image.job_id}-${image.index}`} image={image} />
          ))}
        </ul>
      ) : null}
      <Pager page={page} pages={pages} onPageChange={onPageChange} />
    </div>
  );
}
