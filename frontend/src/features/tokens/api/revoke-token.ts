import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import { tokenKeys } from './list-tokens';

/** DELETE /tokens/{id}: the token stops working at once (204). */
export async function revokeToken(tokenId: string): Promise<void> {
  unwrap(await api().DELETE('/tokens/{token_id}', { params: { path: { token_id: tokenId } } }));
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeToken,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokenKeys.list() }),
  });
}
