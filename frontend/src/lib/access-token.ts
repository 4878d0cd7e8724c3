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
