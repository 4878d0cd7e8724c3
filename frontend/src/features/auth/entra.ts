/**
 * Microsoft sign-in with MSAL. Loaded with a dynamic import() only when the server says Entra is
 * on, so the development sign-in and the first screen never download MSAL.
 */
import {
  InteractionRequiredAuthError,
  PublicClientApplication,
  type AccountInfo,
} from '@azure/msal-browser';
import { MsalProvider } from '@azure/msal-react';
import type { ReactNode } from 'react';
import type { EntraClientConfig } from './api/get-auth-config';

export type Entra = {
  /** Why coming back from Microsoft's sign-in page failed (e.g. not assigned to the app), or null. */
  redirectError: unknown;
  account: () => AccountInfo | null;
  signIn: () => Promise<void>;
  signOut: () => Promise<void>;
  getToken: () => Promise<string | null>;
  Provider: (props: { children: ReactNode }) => ReactNode;
};

// One MSAL instance per page, however often React mounts the provider (StrictMode mounts twice,
// and a second instance would find the redirect's answer already taken by the first).
const started = new Map<string, Promise<Entra>>();

export function startEntra(config: EntraClientConfig, redirectUri: string): Promise<Entra> {
  const key = JSON.stringify([config, redirectUri]);
  let entra = started.get(key);
  if (!entra) {
    entra = start(config, redirectUri);
    started.set(key, entra);
    entra.catch(() => started.delete(key));
  }
  return entra;
}

async function start(config: EntraClientConfig, redirectUri: string): Promise<Entra> {
  const pca = new PublicClientApplication({
    auth: {
      clientId: config.client_id,
      authority: config.authority,
      redirectUri,
      postLogoutRedirectUri: redirectUri,
    },
    cache: { cacheLocation: 'localStorage' },
  });
  await pca.initialize();
  // We return people to where they were ourselves (see rememberReturnTo), so MSAL stays put.
  let result = null;
  let redirectError: unknown = null;
  try {
    result = await pca.handleRedirectPromise({ navigateToLoginRequestUrl: false });
  } catch (error) {
    redirectError = error;
  }
  if (result?.account) {
    pca.setActiveAccount(result.account);
  } else if (!pca.getActiveAccount()) {
    const [first] = pca.getAllAccounts();
    if (first) pca.setActiveAccount(first);
  }

  const scopes = config.scopes;
  return {
    redirectError,
    account: () => pca.getActiveAccount(),
    signIn: () => pca.loginRedirect({ scopes }),
    signOut: async () => {
      const account = pca.getActiveAccount();
      await pca.logoutRedirect(account ? { account } : undefined);
    },
    async getToken() {
      const account = pca.getActiveAccount();
      if (!account) return null;
      try {
        return (await pca.acquireTokenSilent({ scopes, account })).accessToken;
      } catch (error) {
        if (error instanceof InteractionRequiredAuthError) {
          // Consent or a fresh sign-in is needed: the page leaves for Microsoft and comes back.
          await pca.acquireTokenRedirect({ scopes, account });
        }
        throw error;
      }
    },
    Provider: ({ children }) => <MsalProvider instance={pca}>{children}</MsalProvider>,
  };
}
