import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import type { GenerateBody } from '@/lib/generate-settings';
import { jobKeys } from '@/lib/query-keys';

export type JobAccepted = components['schemas']['JobAccepted'];

/** POST /generate: the job is accepted at once (202) and runs in the background. */
export async function createJob(body: GenerateBody): Promise<JobAccepted> {
  return unwrap(await api().POST('/generate', { body }));
}

export function useCreateJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createJob,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: jobKeys.lists() }),
  });
}
