/**
 * Where the API client gets the bearer token. The sign-in feature registers the provider, so this
 * shared layer never depends on how people sign in (development name or Microsoft).
 */
export type AccessTokenProvider = () => Promise<string | null> | string | null;

let provider: AccessTokenProvider = () => null;

export function setAccessTokenProvider(next: AccessTokenProvider): void {
  provider = next;
}

export async function getAccessToken(): Promise<string | null> {
  return provider();
}

/**
 * No token without the person: Microsoft wants them to sign in again or consent. Thrown by the
 * token provider instead of leaving the page from inside a request; the app shell (the
 * QueryClient's cache `onError`) starts one sign-in round trip for all calls that hit it.
 * Asking again cannot help, so it is never retried.
 */
export class SignInRequiredError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('Your Microsoft sign-in needs to be renewed. Taking you to the sign-in page…');
    this.name = 'SignInRequiredError';
    if (options && 'cause' in options) (this as { cause?: unknown }).cause = options.cause;
  }
}

export function isSignInRequired(error: unknown): error is SignInRequiredError {
  return error instanceof SignInRequiredError;
}
