import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { components, operations } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { libraryKeys } from '@/lib/query-keys';

export type LibraryPage = components['schemas']['LibraryPage'];
export type LibraryQuery = Omit<NonNullable<operations['list_library']['parameters']['query']>, 'limit' | 'offset'>;

export const LIBRARY_PER_PAGE = 48;

/** One page of the Approved library (every user's approved images), most recently approved first. */
export async function getLibrary(filters: LibraryQuery, page: number): Promise<LibraryPage> {
  return unwrap(
    await api().GET('/library', {
      params: { query: { ...filters, limit: LIBRARY_PER_PAGE, offset: (page - 1) * LIBRARY_PER_PAGE } },
    }),
  );
}

export const libraryQueryOptions = (filters: LibraryQuery, page: number) =>
  queryOptions({
    queryKey: libraryKeys.list(filters, page),
    queryFn: () => getLibrary(filters, page),
    placeholderData: keepPreviousData,
  });

export function useLibrary(filters: LibraryQuery, page: number) {
  return useQuery(libraryQueryOptions(filters, page));
}
