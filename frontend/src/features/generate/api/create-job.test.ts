import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/api-error';
import { API, errorBody } from '@/testing/fixtures';
import { server } from '@/testing/server';
import { createJob, newIdempotencyKey, NETWORK_RETRY_DELAYS_MS } from './create-job';

const ACCEPTED = { job_id: 'j1', status: 'queued', created_at: '2025-05-01T10:00:00Z' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Answers /generate with `answers` in turn ('network' breaks the connection) and records the keys. */
function generateAnswers(answers: ('network' | 'accepted' | 'busy')[]) {
  const keys: (string | null)[] = [];
  server.use(
    http.post(`${API}/generate`, ({ request }) => {
      keys.push(request.headers.get('Idempotency-Key'));
      const answer = answers[keys.length - 1] ?? 'accepted';
      if (answer === 'network') return HttpResponse.error();
      if (answer === 'busy') {
        return HttpResponse.json(errorBody('queue_full', 'Full.'), { status: 503, headers: { 'Retry-After': '10' } });
      }
      return HttpResponse.json(ACCEPTED, { status: 202 });
    }),
  );
  return keys;
}

/** Runs the retry waits on fake timers; returns how the call ended. */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  for (const delay of NETWORK_RETRY_DELAYS_MS) await vi.advanceTimersByTimeAsync(delay);
  return outcome;
}

describe('createJob', () => {
  it('sends a fresh UUID Idempotency-Key with each submission', async () => {
    const keys = generateAnswers(['accepted', 'accepted']);
    await createJob({ prompt: 'a' });
    await createJob({ prompt: 'a' });
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toMatch(UUID);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('retries a broken connection with the same key and returns the job', async () => {
    vi.useFakeTimers();
    const keys = generateAnswers(['network', 'accepted']);
    const { value } = await settle(createJob({ prompt: 'a' }));
    expect(value).toEqual(ACCEPTED);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('gives up after two retries with a network error, every attempt with one key', async () => {
    vi.useFakeTimers();
    const keys = generateAnswers(['network', 'network', 'network', 'accepted']);
    const { error } = await settle(createJob({ prompt: 'a' }, 'my-key'));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).isNetworkError).toBe(true);
    expect(keys).toEqual(['my-key', 'my-key', 'my-key']);
  });

  it('does not retry an answer from the server', async () => {
    vi.useFakeTimers();
    const keys = generateAnswers(['busy', 'accepted']);
    const { error } = await settle(createJob({ prompt: 'a' }));
    expect(error).toMatchObject({ status: 503, code: 'queue_full' });
    expect(keys).toHaveLength(1);
  });
});

describe('newIdempotencyKey', () => {
  it('makes a version 4 UUID where crypto.randomUUID is missing (plain HTTP)', () => {
    vi.stubGlobal('crypto', { getRandomValues: crypto.getRandomValues.bind(crypto) });
    try {
      const keys = new Set(Array.from({ length: 20 }, newIdempotencyKey));
      expect(keys.size).toBe(20);
      for (const key of keys) expect(key).toMatch(UUID);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
