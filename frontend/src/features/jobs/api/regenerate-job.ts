import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { jobKeys } from '@/lib/query-keys';

export type RecipeCheck = components['schemas']['RecipeCheck'];
export type RegenerateAccepted = components['schemas']['RegenerateAccepted'];

const path = (jobId: string) => ({ path: { job_id: jobId } });

/** GET /jobs/{id}/recipe/check: whether running the job's recipe now gives the same pixels, and why not. */
export async function checkRecipe(jobId: string): Promise<RecipeCheck> {
  return unwrap(await api().GET('/jobs/{job_id}/recipe/check', { params: path(jobId) }));
}

/** POST /jobs/{id}/regenerate: a new job with the same recipe and seeds. */
export async function regenerateJob(jobId: string): Promise<RegenerateAccepted> {
  return unwrap(await api().POST('/jobs/{job_id}/regenerate', { params: path(jobId) }));
}

/** Asks first (never cached: a style or model may have changed since); the page decides whether to go on. */
export function useCheckRecipe(jobId: string) {
  return useMutation({ mutationFn: () => checkRecipe(jobId) });
}

export function useRegenerateJob(jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => regenerateJob(jobId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: jobKeys.lists() }),
  });
}
