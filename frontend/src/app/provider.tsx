import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { createQueryClient } from '@/lib/query-client';
import { AuthProvider, endSessionExpired } from '@/features/auth/components/AuthProvider';

type Props = { children: ReactNode; queryClient?: QueryClient };

function Starting() {
  return (
    <div className="starting" role="status">
      Starting…
    </div>
  );
}

export function AppProvider({ children, queryClient }: Props) {
  // A 401 from any call ends the session; <RequireAuth> then sends the person to sign in.
  const [client] = useState(() => queryClient ?? createQueryClient({ onUnauthorized: endSessionExpired }));
  return (
    <QueryClientProvider client={client}>
      <AuthProvider loading={<Starting />}>{children}</AuthProvider>
    </QueryClientProvider>
  );
}
