import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';

export type SignInConfig = components['schemas']['SignInConfig'];
export type EntraClientConfig = components['schemas']['EntraClientConfig'];

export async function getAuthConfig(): Promise<SignInConfig> {
  return unwrap(await api().GET('/auth/config'));
}

export const authConfigQueryOptions = () =>
  queryOptions({
    queryKey: ['auth-config'],
    queryFn: getAuthConfig,
    // How this server signs people in does not change while the page is open.
    staleTime: Infinity,
    gcTime: Infinity,
  });

export function useAuthConfig() {
  return useQuery(authConfigQueryOptions());
}
