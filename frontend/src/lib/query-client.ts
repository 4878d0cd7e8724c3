import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isSignInRequired, type SignInRequiredError } from './access-token';
import { isApiError } from './api-error';

/** The longest Retry-After a query waits out by itself; longer ones are shown with a countdown. */
export const MAX_AUTO_RETRY_AFTER_S = 30;

/**
 * Client errors will not change by asking again, nor will a sign-in that needs the person;
 * network trouble, 5xx and a 429 that says when to come back might.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isSignInRequired(error)) return false;
  if (isApiError(error)) {
    const after = error.retryAfterSeconds;
    if (after !== null && after > MAX_AUTO_RETRY_AFTER_S) return false;
    const tooMany = error.status === 429 && after !== null;
    if (error.status >= 400 && error.status < 500 && !tooMany) return false;
  }
  return failureCount < 2;
}

/** Waits as long as the server asked (Retry-After), otherwise 1 s, 2 s, 4 s… up to 30 s. */
export function retryDelay(failureCount: number, error: unknown): number {
  if (isApiError(error) && error.retryAfterSeconds !== null) return error.retryAfterSeconds * 1000;
  return Math.min(1000 * 2 ** failureCount, 30_000);
}

type Handlers = {
  /** A 401 from any call: the session is over. */
  onUnauthorized?: () => void;
  /** Microsoft needs the person (sign in again, consent): start one round trip to its sign-in page. */
  onSignInRequired?: (error: SignInRequiredError) => void;
};

/**
 * The app's QueryClient. Its caches' `onError` is the single place a 401 or a sign-in that needs
 * the person is handled, for queries and mutations alike: the app shell ends the session (its
 * router then sends the person to the sign-in page) or leaves for Microsoft's sign-in page once.
 */
export function createQueryClient(handlers: Handlers = {}): QueryClient {
  const onError = (error: unknown) => {
    if (isApiError(error, 401)) handlers.onUnauthorized?.();
    else if (isSignInRequired(error)) handlers.onSignInRequired?.(error);
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay,
        staleTime: 10_000,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}
