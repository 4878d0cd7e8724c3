import createClient, { type Middleware } from 'openapi-fetch';
import { apiErrorFromResponse, networkError } from './api-error';
import type { components, paths } from './schema';

export type Job = components['schemas']['JobPublic'];
export type JobImage = components['schemas']['ImagePublic'];
export type JobStatus = components['schemas']['JobStatus'];
export type GenerateBody = components['schemas']['GenerateRequest'];
export type AspectRatio = NonNullable<GenerateBody['aspect_ratio']>;
export type Model = components['schemas']['ModelInfo'];
export type Style = components['schemas']['StyleInfo'];
export type Me = components['schemas']['Me'];

/** Where the API is and who is asking: the address and the token the main thread keeps for us. */
export type Connection = { apiUrl: string; token: string };

/** The address as typed, without the trailing slash (paths are appended to it). */
export function normalizeApiUrl(apiUrl: string): string {
  return apiUrl.trim().replace(/\/+$/, '');
}

// Non-2xx answers become ApiError, network failures (a CORS refusal looks the same) too.
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

/**
 * A typed client for one connection. The token is only ever held in memory here: it came from the
 * main thread's figma.clientStorage in the 'init' message, never from the bundle.
 */
export function createApi({ apiUrl, token }: Connection) {
  const client = createClient<paths>({
    baseUrl: normalizeApiUrl(apiUrl),
    // Late-bound so test doubles that replace fetch after start-up are used.
    fetch: (request) => globalThis.fetch(request),
  });
  const bearer: Middleware = {
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
  client.use(bearer, errors);
  return client;
}

export type Api = ReturnType<typeof createApi>;

/** The data of a successful call (errors were already thrown by the middleware). */
export function unwrap<T>(result: { data?: T; error?: unknown }): T {
  if (result.error !== undefined) throw result.error;
  return result.data as T;
}
