import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { catalogKeys } from '@/lib/query-keys';

type ModelInfo = components['schemas']['ModelInfo'];
type StyleInfo = components['schemas']['StyleInfo'];

// The history's filters offer what the server has; the generate form reads the same lists under
// the same keys, so whichever page comes first fills the cache for the other.
const CATALOG_STALE_MS = 5 * 60_000;

export const modelNamesQueryOptions = () =>
  queryOptions({
    queryKey: catalogKeys.models,
    queryFn: async (): Promise<ModelInfo[]> => unwrap(await api().GET('/models')),
    staleTime: CATALOG_STALE_MS,
  });

export const styleNamesQueryOptions = () =>
  queryOptions({
    queryKey: catalogKeys.styles,
    queryFn: async (): Promise<StyleInfo[]> => unwrap(await api().GET('/styles')),
    staleTime: CATALOG_STALE_MS,
  });

/** The names of the models on offer (empty until they arrive, or if they cannot be had). */
export function useModelNames(): string[] {
  return useQuery({ ...modelNamesQueryOptions(), select: (models) => models.map((m) => m.name) }).data ?? [];
}

/** The names of the brand styles on offer. */
export function useStyleNames(): string[] {
  return useQuery({ ...styleNamesQueryOptions(), select: (styles) => styles.map((s) => s.name) }).data ?? [];
}
