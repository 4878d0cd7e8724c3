import { http, HttpResponse } from 'msw';
import type { Job } from '../api/client';
import { API } from './fixtures';
import { hasToken, server, unauthorized } from './server';

/**
 * POST /generate accepts `job` and GET /jobs/{id} answers the states in turn (the last one
 * repeats). Returns what was sent, for the test to look at.
 */
export function serveJob(states: Job[]) {
  const first = states[0]!;
  const seen = { bodies: [] as unknown[], keys: [] as (string | null)[], polls: 0, cancelled: false };
  server.use(
    http.post(`${API}/generate`, async ({ request }) => {
      if (!hasToken(request)) return unauthorized();
      seen.bodies.push(await request.json());
      seen.keys.push(request.headers.get('Idempotency-Key'));
      return HttpResponse.json(
        { job_id: first.job_id, status: 'queued', created_at: first.created_at },
        { status: 202 },
      );
    }),
    http.get(`${API}/jobs/${first.job_id}`, ({ request }) => {
      if (!hasToken(request)) return unauthorized();
      const state = states[Math.min(seen.polls, states.length - 1)]!;
      seen.polls += 1;
      return HttpResponse.json(seen.cancelled ? { ...state, status: 'cancelled', phase: 'finished' } : state);
    }),
    http.post(`${API}/jobs/${first.job_id}/cancel`, ({ request }) => {
      if (!hasToken(request)) return unauthorized();
      seen.cancelled = true;
      return HttpResponse.json({ ...first, status: 'cancelled', phase: 'finished', queue_position: null });
    }),
  );
  return seen;
}

/** The image links answer these bytes (the PNG's stand-in), counting the downloads. */
export function serveImageBytes(bytesFor: (index: number) => number[]) {
  const downloads: string[] = [];
  server.use(
    http.get(`${API}/images/:jobId/:file`, ({ params, request }) => {
      downloads.push(request.url);
      const index = Number(String(params.file).split('.')[0]);
      return new HttpResponse(new Uint8Array(bytesFor(index)), { headers: { 'Content-Type': 'image/png' } });
    }),
  );
  return downloads;
}
