import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { setAccessTokenProvider } from '@/lib/access-token';
import { api, unwrap } from '@/lib/api-client';
import { ErrorMessage } from '@/components/ErrorMessage';
import { env } from '@/config/env';
import { authConfigQueryOptions, useAuthConfig, type SignInConfig } from '../api/get-auth-config';
import { meQueryOptions } from '../api/get-me';
import type { Entra } from '../entra';
import {
  devToken,
  getSession,
  rememberReturnTo,
  setSignedIn,
  setSignedOut,
  storeDevName,
  storedDevName,
  storedDevReviewer,
  takeReturnTo,
} from '../session';

type Auth = {
  config: SignInConfig;
  /** Why the last Microsoft sign-in did not complete, shown on the sign-in page. */
  microsoftError: unknown;
  /** Checks the name with the server (GET /me) and signs in with it. */
  /** `reviewer`: with the reviewer role (the development sign-in's `;reviewer`). */
  signInDev: (name: string, reviewer?: boolean) => Promise<void>;
  /** Leaves for Microsoft's sign-in page; `next` is where to come back to. */
  signInMicrosoft: (next: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** Where a Microsoft sign-in round trip started, once, right after coming back. */
  takeReturnTo: () => string | null;
};

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth must be used inside <AuthProvider>');
  return auth;
}

// The Microsoft sign-in of the mounted provider, for reauthenticate() (called from the QueryClient).
let activeEntra: Entra | null = null;

/** The redirect URI MSAL is registered with: the app's own origin and base path. */
function appRootUrl(): string {
  return new URL(env().basePath, window.location.origin).href;
}

type Props = { children: ReactNode; loading?: ReactNode };

/**
 * Learns how this server signs people in (GET /auth/config), restores a sign-in from an earlier
 * visit, and hands the API client its bearer token. Renders its children once it knows whether
 * someone is signed in.
 */
export function AuthProvider({ children, loading = null }: Props) {
  const queryClient = useQueryClient();
  const configQuery = useAuthConfig();
  const config = configQuery.data;
  const [entra, setEntra] = useState<Entra | null>(null);
  const [ready, setReady] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const entraRef = useRef<Entra | null>(null);
  const returnTo = useRef<string | null>(null);

  useEffect(() => {
    setAccessTokenProvider(() => {
      const session = getSession();
      if (session.status !== 'signed-in') return null;
      if (session.method === 'dev') return devToken(session.name, storedDevReviewer());
      return entraRef.current?.getToken() ?? null;
    });
    return () => setAccessTokenProvider(() => null);
  }, []);

  useEffect(() => {
    if (!config) return;
    let cancelled = false;
    (async () => {
      let signedIn = false;
      if (config.entra) {
        // MSAL is only downloaded when this server uses Microsoft sign-in.
        const { startEntra } = await import('../entra');
        const started = await startEntra(config.entra, appRootUrl());
        if (cancelled) return;
        entraRef.current = started;
        setEntra(started);
        const account = started.account();
        if (account) {
          setSignedIn('entra', account.name || account.username);
          signedIn = true;
          returnTo.current = takeReturnTo();
        }
      }
      const devName = storedDevName();
      if (!signedIn && config.dev && devName) {
        setSignedIn('dev', devName);
        signedIn = true;
      }
      if (!signedIn) {
        if (devName) storeDevName(null);
        setSignedOut('none');
      }
      setReady(true);
    })().catch((error: unknown) => {
      if (!cancelled) setStartError(error);
    });
    return () => {
      cancelled = true;
    };
  }, [config, attempt]);

  useEffect(() => {
    activeEntra = entra;
    return () => {
      if (activeEntra === entra) activeEntra = null;
    };
  }, [entra]);

  const auth = useMemo<Auth | null>(() => {
    if (!config) return null;
    // What a new sign-in or a sign-out leaves behind: nothing of the last person's, but how this
    // server signs people in stays known (it does not change, and this page goes on needing it).
    const configKey = JSON.stringify(authConfigQueryOptions().queryKey);
    const forgetData = () =>
      queryClient.removeQueries({ predicate: (query) => JSON.stringify(query.queryKey) !== configKey });
    return {
      config,
      microsoftError: entra?.redirectError ?? null,
      async signInDev(name, reviewer = false) {
        const me = unwrap(
          await api().GET('/me', { headers: { Authorization: `Bearer ${devToken(name, reviewer)}` } }),
        );
        forgetData();
        queryClient.setQueryData(meQueryOptions().queryKey, me);
        storeDevName(name, reviewer);
        setSignedIn('dev', name);
      },
      async signInMicrosoft(next) {
        if (!entraRef.current) throw new Error('Microsoft sign-in is not configured on this server.');
        rememberReturnTo(next);
        await entraRef.current.signIn();
      },
      async signOut() {
        const session = getSession();
        storeDevName(null);
        setSignedOut('signed-out');
        forgetData();
        if (session.status === 'signed-in' && session.method === 'entra') {
          await entraRef.current?.signOut();
        }
      },
      takeReturnTo() {
        const value = returnTo.current;
        returnTo.current = null;
        return value;
      },
    };
  }, [config, entra, queryClient]);

  const failure = configQuery.error ?? startError;
  if (failure) {
    return (
      <main className="page page--narrow" id="main">
        <h1>Brand asset generator</h1>
        <ErrorMessage
          title="The app could not start."
          error={failure}
          onRetry={() => {
            setStartError(null);
            setAttempt((n) => n + 1);
            if (configQuery.error) void configQuery.refetch();
          }}
        />
      </main>
    );
  }
  if (!auth || !ready) return loading;

  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

/**
 * Microsoft needs the person again (consent, an expired sign-in): one round trip to its sign-in
 * page, back to `returnTo`, however many calls found out at once. If the page cannot leave, the
 * session ends and the sign-in page offers the button instead.
 */
export function reauthenticate(returnTo: string): void {
  const session = getSession();
  if (session.status !== 'signed-in') return;
  if (session.method !== 'entra' || !activeEntra) {
    endSessionExpired();
    return;
  }
  activeEntra.reauthenticate(returnTo).catch(() => setSignedOut('expired'));
}

/** Where the person is in the app (without the base path), to come back to after signing in. */
export function currentAppPath(): string {
  const base = env().basePath.replace(/\/$/, '');
  const { pathname, search } = window.location;
  const path = base && pathname.startsWith(base) ? pathname.slice(base.length) || '/' : pathname;
  return `${path}${search}`;
}

/** Ends the session after the server refused the token (a 401 from any call). */
export function endSessionExpired(): void {
  const session = getSession();
  if (session.status !== 'signed-in') return;
  if (session.method === 'dev') storeDevName(null);
  setSignedOut('expired');
}
