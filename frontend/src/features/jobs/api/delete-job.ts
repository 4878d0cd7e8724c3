import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import { jobKeys } from '@/lib/query-keys';

/** DELETE /jobs/{id}: the job and its images are gone (204). */
export async function deleteJob(jobId: string): Promise<void> {
  unwrap(await api().DELETE('/jobs/{job_id}', { params: { path: { job_id: jobId } } }));
}

export function useDeleteJob(jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => deleteJob(jobId),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: jobKeys.detail(jobId) });
      void queryClient.invalidateQueries({ queryKey: jobKeys.lists() });
    },
  });
}
