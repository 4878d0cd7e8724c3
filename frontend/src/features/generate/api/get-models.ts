import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';

export type ModelInfo = components['schemas']['ModelInfo'];

/** The models the runner holds, the default first. */
export async function getModels(): Promise<ModelInfo[]> {
  return unwrap(await api().GET('/models'));
}

export const modelsQueryOptions = () =>
  queryOptions({ queryKey: ['models'], queryFn: getModels, staleTime: 5 * 60_000 });

export function useModels() {
  return useQuery(modelsQueryOptions());
}
