import { unwrap, type Api, type GenerateBody, type Job, type Me, type Model, type Style } from './client';

/** How many finished jobs the Recent list shows. */
export const RECENT_LIMIT = 20;

export async function getMe(api: Api): Promise<Me> {
  return unwrap(await api.GET('/me'));
}

export async function listModels(api: Api): Promise<Model[]> {
  return unwrap(await api.GET('/models'));
}

export async function listStyles(api: Api): Promise<Style[]> {
  return unwrap(await api.GET('/styles'));
}

export async function createJob(api: Api, body: GenerateBody): Promise<{ job_id: string }> {
  // A fresh key per submission: a retried request cannot make a second job.
  const key = crypto.randomUUID();
  return unwrap(await api.POST('/generate', { body, params: { header: { 'Idempotency-Key': key } } }));
}

export async function getJob(api: Api, jobId: string, signal?: AbortSignal): Promise<Job> {
  return unwrap(await api.GET('/jobs/{job_id}', { params: { path: { job_id: jobId } }, signal }));
}

export async function cancelJob(api: Api, jobId: string): Promise<Job> {
  return unwrap(await api.POST('/jobs/{job_id}/cancel', { params: { path: { job_id: jobId } } }));
}

export async function listRecentJobs(api: Api): Promise<Job[]> {
  const page = unwrap(await api.GET('/jobs', { params: { query: { status: ['complete'], limit: RECENT_LIMIT } } }));
  return page.items;
}
