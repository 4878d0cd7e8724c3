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

/**
 * A random UUID (v4). Not crypto.randomUUID(): that needs a secure context, which a plugin iframe
 * with an opaque origin need not be; getRandomValues works everywhere.
 */
export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function createJob(api: Api, body: GenerateBody): Promise<{ job_id: string }> {
  // A fresh key per submission: a retried request cannot make a second job.
  const key = idempotencyKey();
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
