import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';

export type AccessToken = components['schemas']['TokenPublic'];

export const tokenKeys = {
  all: ['tokens'] as const,
  list: () => ['tokens', 'list'] as const,
  policy: () => ['tokens', 'policy'] as const,
};

/** GET /tokens: the caller's tokens that are not revoked, newest first (never their secrets). */
export async function listTokens(): Promise<AccessToken[]> {
  return unwrap(await api().GET('/tokens'));
}

export const tokensQueryOptions = () => queryOptions({ queryKey: tokenKeys.list(), queryFn: listTokens });

export function useTokens() {
  return useQuery(tokensQueryOptions());
}
