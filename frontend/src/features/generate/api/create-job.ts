import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { isApiError } from '@/lib/api-error';
import type { GenerateBody } from '@/lib/generate-settings';
import { jobKeys } from '@/lib/query-keys';

export type JobAccepted = components['schemas']['JobAccepted'];

/**
 * Waits before each retry of a submission that got no answer. The connection may have broken after
 * the job was stored; the retry carries the same Idempotency-Key, so the API answers with that job.
 */
export const NETWORK_RETRY_DELAYS_MS = [500, 1500];

/** A random UUID; `crypto.randomUUID` exists only in secure contexts (HTTPS, localhost). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * POST /generate: the job is accepted at once (202) and runs in the background. One key per call
 * (one submission); network errors are retried with that key, any answer from the server is not.
 */
export async function createJob(
  body: GenerateBody,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<JobAccepted> {
  const params = { header: { 'Idempotency-Key': idempotencyKey } };
  for (let attempt = 0; ; attempt += 1) {
    try {
      return unwrap(await api().POST('/generate', { body, params }));
    } catch (error) {
      const delay = NETWORK_RETRY_DELAYS_MS[attempt];
      if (!isApiError(error) || !error.isNetworkError || delay === undefined) throw error;
      await wait(delay);
    }
  }
}

export function useCreateJob() {
  const queryClient = useQueryClient();
  return useMutation({
    // Called once per submission (mutations are not retried), so each gets a fresh key.
    mutationFn: (body: GenerateBody) => createJob(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: jobKeys.lists() }),
  });
}
