import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { API, errorBody, realModel, styles } from './fixtures';

/** Who the bearer token says the caller is, or null (then the handler answers 401). */
export function callerOf(request: Request): string | null {
  const header = request.headers.get('Authorization') ?? '';
  const dev = /^Bearer dev:([^;]+)(;reviewer)?$/.exec(header);
  if (dev?.[1]) return decodeURIComponent(dev[1]); // percent-encoded as the web app sends it
  return /^Bearer \S+$/.test(header) ? 'token-user' : null;
}

/** Whether the caller holds the reviewer role (the development sign-in's `;reviewer`). */
export function isReviewer(request: Request): boolean {
  return /^Bearer dev:[^;]+;reviewer$/.test(request.headers.get('Authorization') ?? '');
}

export const unauthorized = () =>
  HttpResponse.json(errorBody('not_authenticated', 'Not signed in.'), {
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer' },
  });

/** A server with dev sign-in, one model and two styles; tests add the job endpoints they need. */
export const defaultHandlers = [
  http.get(`${API}/auth/config`, () => HttpResponse.json({ dev: true, entra: null })),
  http.get(`${API}/me`, ({ request }) => {
    const name = callerOf(request);
    if (!name) return unauthorized();
    return HttpResponse.json({
      oid: `dev-${name}`,
      tid: 'dev-tenant',
      name,
      email: `${name}@dev.invalid`,
      can_review: isReviewer(request),
    });
  }),
  http.get(`${API}/models`, ({ request }) => (callerOf(request) ? HttpResponse.json([realModel]) : unauthorized())),
  http.get(`${API}/styles`, ({ request }) => (callerOf(request) ? HttpResponse.json(styles) : unauthorized())),
  http.get(`${API}/jobs`, ({ request }) =>
    callerOf(request) ? HttpResponse.json({ items: [], total: 0, limit: 20, offset: 0 }) : unauthorized(),
  ),
];

export const server = setupServer(...defaultHandlers);
