import { describe, expect, it } from 'vitest';
import { SignInRequiredError } from './access-token';
import { ApiError, networkError } from './api-error';
import { retryDelay, shouldRetry } from './query-client';

const busy = (retryAfterSeconds: number | null, status = 503) =>
  new ApiError({ status, code: 'busy', message: 'Busy.', retryAfterSeconds });

describe('query retries', () => {
  it('waits as long as Retry-After says, otherwise backs off', () => {
    expect(retryDelay(0, busy(7))).toBe(7000);
    expect(retryDelay(1, busy(null))).toBe(2000);
    expect(retryDelay(2, networkError(new TypeError('offline')))).toBe(4000);
    expect(retryDelay(10, busy(null))).toBe(30_000);
  });

  it('retries what asking again can change, and nothing else', () => {
    expect(shouldRetry(0, busy(3))).toBe(true);
    expect(shouldRetry(0, networkError(new TypeError('offline')))).toBe(true);
    expect(shouldRetry(2, busy(3))).toBe(false);
    expect(shouldRetry(0, busy(3, 429))).toBe(true);
    expect(shouldRetry(0, busy(null, 429))).toBe(false);
    // A long wait is shown with its countdown instead of a spinner.
    expect(shouldRetry(0, busy(120))).toBe(false);
    expect(shouldRetry(0, busy(null, 404))).toBe(false);
    expect(shouldRetry(0, new SignInRequiredError())).toBe(false);
  });
});
