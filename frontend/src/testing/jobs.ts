import { http, HttpResponse } from 'msw';
import type { components } from '@/api/schema';
import { API } from './fixtures';
import { callerOf, unauthorized } from './server';

type Job = components['schemas']['JobPublic'];

/**
 * GET /jobs/{id} answering each state in turn (the last one repeats), counting the requests:
 * a job that moves on each time it is polled.
 */
export function jobSequence(states: Job[]) {
  const calls = { count: 0 };
  const jobId = states[0]!.job_id;
  const handler = http.get(`${API}/jobs/${jobId}`, ({ request }) => {
    if (!callerOf(request)) return unauthorized();
    const state = states[Math.min(calls.count, states.length - 1)]!;
    calls.count += 1;
    return HttpResponse.json(state);
  });
  return { handler, calls };
}

/**
 * GET /jobs over `jobs` (newest first) as the API answers it: the caller's filters applied (style,
 * model, statuses, created_after inclusive, created_before exclusive, and `q` as word prefixes of
 * the prompt), then limit/offset; `total` counts what matched. Each request's query is kept.
 */
export function jobListServer(jobs: Job[]) {
  const requests: URLSearchParams[] = [];
  const handler = http.get(`${API}/jobs`, ({ request }) => {
    if (!callerOf(request)) return unauthorized();
    const params = new URL(request.url).searchParams;
    requests.push(params);
    const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const after = params.get('created_after');
    const before = params.get('created_before');
    const statuses = params.getAll('status');
    const matched = jobs.filter(
      (job) =>
        (!params.has('style') || job.style === params.get('style')) &&
        (!params.has('model') || job.model === params.get('model')) &&
        (!statuses.length || statuses.includes(job.status)) &&
        (!after || Date.parse(job.created_at) >= Date.parse(after)) &&
        (!before || Date.parse(job.created_at) < Date.parse(before)) &&
        words(params.get('q') ?? '').every((w) => words(job.prompt).some((p) => p.startsWith(w))),
    );
    const limit = Number(params.get('limit') ?? 20);
    const offset = Number(params.get('offset') ?? 0);
    return HttpResponse.json({ items: matched.slice(offset, offset + limit), total: matched.length, limit, offset });
  });
  return { handler, requests };
}
