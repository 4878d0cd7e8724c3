import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { API, errorBody } from '@/testing/fixtures';
import { server } from '@/testing/server';
import { setAccessTokenProvider } from './access-token';
import { api } from './api-client';
import { ApiError, parseRetryAfter } from './api-error';

afterEach(() => setAccessTokenProvider(() => null));

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('api client', () => {
  it('sends the current sign-in as a bearer token', async () => {
    let seen: string | null = null;
    server.use(
      http.get(`${API}/me`, ({ request }) => {
        seen = request.headers.get('Authorization');
        return HttpResponse.json({ oid: 'o', tid: 't', name: 'n', email: 'e' });
      }),
    );
    setAccessTokenProvider(async () => 'dev:ada');
    await api().GET('/me');
    expect(seen).toBe('Bearer dev:ada');
  });

  it('sends no Authorization header when nobody is signed in', async () => {
    let seen: string | null = 'unset';
    server.use(
      http.get(`${API}/auth/config`, ({ request }) => {
        seen = request.headers.get('Authorization');
        return HttpResponse.json({ dev: true, entra: null });
      }),
    );
    await api().GET('/auth/config');
    expect(seen).toBeNull();
  });

  it('turns the error envelope into an ApiError with its fields', async () => {
    server.use(
      http.post(`${API}/generate`, () =>
        HttpResponse.json(
          errorBody('invalid_request', 'The request is invalid; see the field errors.', [
            { field: 'num_images', message: 'Input should be less than or equal to 4' },
          ]),
          { status: 400 },
        ),
      ),
    );
    const error = await failure(api().POST('/generate', { body: { prompt: 'x', num_images: 9 } }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('The request is invalid; see the field errors.');
    expect(error.fields).toEqual([{ field: 'num_images', message: 'Input should be less than or equal to 4' }]);
    expect(error.retryAfterSeconds).toBeNull();
  });

  it('reads Retry-After on 429', async () => {
    server.use(
      http.post(`${API}/generate`, () =>
        HttpResponse.json(errorBody('rate_limited', 'Slow down.'), { status: 429, headers: { 'Retry-After': '12' } }),
      ),
    );
    const error = await failure(api().POST('/generate', { body: { prompt: 'x' } }));
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', message: 'Slow down.', retryAfterSeconds: 12 });
  });

  it('copes with an error body that is not the envelope', async () => {
    server.use(http.get(`${API}/models`, () => new HttpResponse('<html>Bad gateway</html>', { status: 502 })));
    const error = await failure(api().GET('/models'));
    expect(error.status).toBe(502);
    expect(error.code).toBe('http_502');
    expect(error.message).toBe('The server answered 502.');
  });

  it('turns a failed connection into a network ApiError', async () => {
    server.use(http.get(`${API}/models`, () => HttpResponse.error()));
    const error = await failure(api().GET('/models'));
    expect(error.isNetworkError).toBe(true);
    expect(error.message).toMatch(/Could not reach the server/);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores nonsense', () => {
    const now = Date.parse('2025-05-01T10:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Thu, 01 May 2025 10:00:45 GMT', now)).toBe(45);
    expect(parseRetryAfter('Thu, 01 May 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
