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
