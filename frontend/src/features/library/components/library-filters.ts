import { MAX_SEARCH_LENGTH } from '@/hooks/use-search-text';
import type { LibraryQuery } from '../api/get-library';

/** What the library is narrowed to; it lives in the URL (`/library?q=…&style=…&model=…&page=N`). */
export type LibraryFilters = { q: string; style: string; model: string };

export const NO_LIBRARY_FILTERS: LibraryFilters = { q: '', style: '', model: '' };

export function libraryFiltersFrom(params: URLSearchParams): LibraryFilters {
  return {
    q: (params.get('q') ?? '').trim().slice(0, MAX_SEARCH_LENGTH),
    style: params.get('style') ?? '',
    model: params.get('model') ?? '',
  };
}

/** The query string for `filters` and `page` (empty filters and page 1 are left out). */
export function paramsOf(filters: LibraryFilters, page = 1): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.style) params.set('style', filters.style);
  if (filters.model) params.set('model', filters.model);
  if (page > 1) params.set('page', String(page));
  return params;
}

/** The API's parameters: only those set (the API refuses empty ones). */
export function libraryQueryOf(filters: LibraryFilters): LibraryQuery {
  const query: LibraryQuery = {};
  if (filters.q) query.q = filters.q;
  if (filters.style) query.style = filters.style;
  if (filters.model) query.model = filters.model;
  return query;
}

export function isFiltered(filters: LibraryFilters): boolean {
  return Boolean(filters.q || filters.style || filters.model);
}
