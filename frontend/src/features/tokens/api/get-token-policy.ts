import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { tokenKeys } from './list-tokens';

export type TokenPolicy = components['schemas']['TokenPolicy'];

/** GET /tokens/policy: the lifetime a new token gets by default, and the longest allowed. */
export async function getTokenPolicy(): Promise<TokenPolicy> {
  return unwrap(await api().GET('/tokens/policy'));
}

export const tokenPolicyQueryOptions = () =>
  queryOptions({
    queryKey: tokenKeys.policy(),
    queryFn: getTokenPolicy,
    // Server settings: they do not change while the page is open.
    staleTime: Infinity,
  });

export function useTokenPolicy() {
  return useQuery(tokenPolicyQueryOptions());
}
