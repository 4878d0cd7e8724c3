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
  account: () => AccountInfo | null;
  signIn: () => Promise<void>;
  signOut: () => Promise<void>;
  getToken: () => Promise<string | null>;
  Provider: (props: { children: ReactNode }) => ReactNode;
};

export async function startEntra(config: EntraClientConfig, redirectUri: string): Promise<Entra> {
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
  const result = await pca.handleRedirectPromise({ navigateToLoginRequestUrl: false });
  if (result?.account) {
    pca.setActiveAccount(result.account);
  } else if (!pca.getActiveAccount()) {
    const [first] = pca.getAllAccounts();
    if (first) pca.setActiveAccount(first);
  }

  const scopes = config.scopes;
  return {
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
