import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import { jobKeys } from '@/lib/query-keys';
import type { Job } from './get-job';

/** POST /jobs/{id}/cancel: answers the cancelled job (409 when it had already ended). */
export async function cancelJob(jobId: string): Promise<Job> {
  return unwrap(await api().POST('/jobs/{job_id}/cancel', { params: { path: { job_id: jobId } } }));
}

export function useCancelJob(jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => cancelJob(jobId),
    // A poll already on its way would answer "running" after the cancel and put it back on screen.
    onMutate: () => queryClient.cancelQueries({ queryKey: jobKeys.detail(jobId) }),
    onSuccess: (job) => {
      queryClient.setQueryData(jobKeys.detail(jobId), job);
      void queryClient.invalidateQueries({ queryKey: jobKeys.lists() });
    },
    // Whatever happened (409: it ended meanwhile), show the job as the server has it now.
    onError: () => queryClient.invalidateQueries({ queryKey: jobKeys.detail(jobId) }),
  });
}
