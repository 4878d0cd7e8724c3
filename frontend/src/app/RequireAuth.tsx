import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { isApiError } from '@/lib/api-error';
import { NO_ACCESS_MESSAGE } from '@/lib/errors';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useMe } from '@/features/auth/api/get-me';
import { useSession } from '@/features/auth/session';

/** Pages for signed-in people: others go to the sign-in page and come back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const me = useMe({ enabled: session.status === 'signed-in' });

  if (session.status !== 'signed-in') {
    const next = `${location.pathname}${location.search}`;
    const to = next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  if (isApiError(me.error, 403)) return <NoAccess detail={me.error.message} />;
  return children;
}

function NoAccess({ detail }: { detail: string }) {
  useDocumentTitle('No access');
  return (
    <div className="page page--narrow stack">
      <h1>No access</h1>
      <p role="alert" className="notice notice--warning">
        {NO_ACCESS_MESSAGE}
      </p>
      {/* The server may say more (e.g. "have the app role assigned" when groups do not fit in a token). */}
      {detail && detail !== NO_ACCESS_MESSAGE ? <p>{detail}</p> : null}
    </div>
  );
}
