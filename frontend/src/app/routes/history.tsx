import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { JobHistory } from '@/features/jobs/components/JobHistory';
import { filtersFromParams, paramsFromFilters, type HistoryFilters } from '@/features/jobs/components/history-filters';
import { pageFrom } from './page-param';


/** `/jobs?q=…&style=…&model=…&status=…&from=…&to=…&page=N`: the history, newest first, filtered. */
export default function HistoryPage() {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  // One object per query string, so a re-render does not look like a change of filters.
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(search)), [search]);
  const page = pageFrom(params.get('page'));
  useDocumentTitle(page > 1 ? `History, page ${page}` : 'History');

  // A change of filters starts again at page 1.
  const onFiltersChange = useCallback(
    (next: HistoryFilters, options?: { replace?: boolean }) => setParams(paramsFromFilters(next), options),
    [setParams],
  );
  const onPageChange = useCallback(
    (next: number) => {
      setParams(paramsFromFilters(filters, next));
      window.scrollTo({ top: 0 });
    },
    [setParams, filters],
  );

  return (
    <div className="page stack">
      <h1>History</h1>
      <JobHistory filters={filters} page={page} onFiltersChange={onFiltersChange} onPageChange={onPageChange} />
    </div>
  );
}
