import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '@/api/schema';
import { env } from '@/config/env';
import { getAccessToken } from './access-token';
import { apiErrorFromResponse, networkError } from './api-error';

/** The API's base URL: VITE_API_URL, or the app's own origin. */
export function apiBaseUrl(): string {
  return env().apiUrl || window.location.origin;
}

const auth: Middleware = {
  async onRequest({ request }) {
    const token = await getAccessToken();
    if (token && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${token}`);
    }
    return request;
  },
};

// Non-2xx answers become ApiError; what to do about them (sign-in page, messages) is the app's call.
const errors: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await apiErrorFromResponse(response);
    return response;
  },
  onError({ error }) {
    if (error instanceof Error && error.name === 'AbortError') return error;
    return networkError(error);
  },
};

export type ApiClient = ReturnType<typeof createClient<paths>>;

let client: ApiClient | undefined;

/** The API client, made on first use (after start-up has validated the settings). */
export function api(): ApiClient {
  if (!client) {
    client = createClient<paths>({
      baseUrl: apiBaseUrl(),
      // Late-bound so test doubles (and polyfills) that replace fetch after start-up are used.
      fetch: (request) => globalThis.fetch(request),
    });
    client.use(auth, errors);
  }
  return client;
}

/** The data of a successful call (errors were already thrown by the middleware). */
export function unwrap<T>(result: { data?: T; error?: unknown }): T {
  if (result.error !== undefined) throw result.error;
  return result.data as T;
}
