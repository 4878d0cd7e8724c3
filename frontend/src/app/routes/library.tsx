import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { Library } from '@/features/library/components/Library';
import { libraryFiltersFrom, paramsOf, type LibraryFilters } from '@/features/library/components/library-filters';
import { pageFrom } from './page-param';

/** `/library?q=…&style=…&model=…&page=N`: the Approved library, for everyone signed in. */
export default function LibraryPage() {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const filters = useMemo(() => libraryFiltersFrom(new URLSearchParams(search)), [search]);
  const page = pageFrom(params.get('page'));
  useDocumentTitle(page > 1 ? `Approved, page ${page}` : 'Approved');

  const onFiltersChange = useCallback(
    (next: LibraryFilters, options?: { replace?: boolean }) => setParams(paramsOf(next), options),
    [setParams],
  );
  const onPageChange = useCallback(
    (next: number) => {
      setParams(paramsOf(filters, next));
      window.scrollTo({ top: 0 });
    },
    [setParams, filters],
  );

  return (
    <div className="page stack">
      <h1>Approved</h1>
      <p>Images a reviewer approved for use: everyone here may download them.</p>
      <Library filters={filters} page={page} onFiltersChange={onFiltersChange} onPageChange={onPageChange} />
    </div>
  );
}
