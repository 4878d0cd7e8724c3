import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api, unwrap } from '@/lib/api-client';
import { tokenKeys } from './list-tokens';

export type TokenCreate = components['schemas']['TokenCreate'];
export type CreatedToken = components['schemas']['TokenCreated'];

/** POST /tokens: the answer holds the secret, the only time it is ever shown. */
export async function createToken(body: TokenCreate): Promise<CreatedToken> {
  return unwrap(await api().POST('/tokens', { body }));
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokenKeys.list() }),
  });
}
