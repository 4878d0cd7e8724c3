import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';

export type StyleInfo = components['schemas']['StyleInfo'];

export async function getStyles(): Promise<StyleInfo[]> {
  return unwrap(await api().GET('/styles'));
}

export const stylesQueryOptions = () =>
  queryOptions({ queryKey: ['styles'], queryFn: getStyles, staleTime: 5 * 60_000 });

export function useStyles() {
  return useQuery(stylesQueryOptions());
}
