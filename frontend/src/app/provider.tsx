import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { createQueryClient } from '@/lib/query-client';
import {
  AuthProvider,
  currentAppPath,
  endSessionExpired,
  reauthenticate,
} from '@/features/auth/components/AuthProvider';

type Props = { children: ReactNode; queryClient?: QueryClient };

function Starting() {
  return (
    <div className="starting" role="status">
      Starting…
    </div>
  );
}

/** The QueryClient with the app's handlers for a session that is over or needs the person. */
export function createAppQueryClient() {
  return createQueryClient({
    onUnauthorized: endSessionExpired,
    onSignInRequired: () => reauthenticate(currentAppPath()),
  });
}

export function AppProvider({ children, queryClient }: Props) {
  // A 401 from any call ends the session; <RequireAuth> then sends the person to sign in. When
  // Microsoft needs the person (no token without them), the page leaves for its sign-in once.
  const [client] = useState(() => queryClient ?? createAppQueryClient());
  return (
    <QueryClientProvider client={client}>
      <AuthProvider loading={<Starting />}>{children}</AuthProvider>
    </QueryClientProvider>
  );
}
