import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { API, errorBody, realModel, styles, TOKEN } from './fixtures';

/** True when the request carries the test's token, as the plugin sends it. */
export function hasToken(request: Request): boolean {
  return request.headers.get('Authorization') === `Bearer ${TOKEN}`;
}

export const unauthorized = () =>
  HttpResponse.json(errorBody('not_authenticated', 'Not signed in.'), {
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer' },
  });

const guarded = (answer: () => Response) => ({ request }: { request: Request }) =>
  hasToken(request) ? answer() : unauthorized();

/** An API that knows one token, with one model and two styles; tests add the job endpoints they need. */
export const defaultHandlers = [
  http.get(`${API}/me`, guarded(() =>
    HttpResponse.json({ oid: 'oid-1', tid: 'tid-1', name: 'Dana Designer', email: 'dana@example.com' }),
  )),
  http.get(`${API}/models`, guarded(() => HttpResponse.json([realModel]))),
  http.get(`${API}/styles`, guarded(() => HttpResponse.json(styles))),
  http.get(`${API}/jobs`, guarded(() => HttpResponse.json({ items: [], total: 0, limit: 20, offset: 0 }))),
];

export const server = setupServer(...defaultHandlers);
