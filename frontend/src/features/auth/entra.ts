/**
 * Microsoft sign-in with MSAL. Loaded with a dynamic import() only when the server says Entra is
 * on, so the development sign-in and the first screen never download MSAL.
 */
import {
  InteractionRequiredAuthError,
  PublicClientApplication,
  type AccountInfo,
  type IPublicClientApplication,
} from '@azure/msal-browser';
import { SignInRequiredError } from '@/lib/access-token';
import type { EntraClientConfig } from './api/get-auth-config';
import { rememberReturnTo } from './session';

export type Entra = {
  /** Why coming back from Microsoft's sign-in page failed (e.g. not assigned to the app), or null. */
  redirectError: unknown;
  account: () => AccountInfo | null;
  signIn: () => Promise<void>;
  signOut: () => Promise<void>;
  /** A token for the API; throws SignInRequiredError when only the person can get one. */
  getToken: () => Promise<string | null>;
  /**
   * Leaves for Microsoft's sign-in page to renew the sign-in, coming back to `returnTo`. However
   * many calls ask at once, the first one's trip is the only one.
   */
  reauthenticate: (returnTo: string) => Promise<void>;
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

/** The tenant in an authority such as `https://login.microsoftonline.com/<tenant id>`. */
export function authorityTenant(authority: string): string | null {
  try {
    const segment = new URL(authority).pathname.split('/').filter(Boolean)[0];
    return segment ? segment.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * The signed-in account for this app's tenant: the active one if it belongs to the tenant, else
 * the first cached account that does. An account from another tenant (a second app on the same
 * origin, a guest sign-in elsewhere) is never used; none means nobody is signed in here.
 */
function accountForTenant(pca: IPublicClientApplication, tenant: string | null): AccountInfo | null {
  const inTenant = (account: AccountInfo | null): account is AccountInfo =>
    !!account && (tenant === null || account.tenantId.toLowerCase() === tenant);
  const active = pca.getActiveAccount();
  if (inTenant(active)) return active;
  return pca.getAllAccounts().find(inTenant) ?? null;
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
  const tenant = authorityTenant(config.authority);
  pca.setActiveAccount(result?.account ?? accountForTenant(pca, tenant));

  const scopes = config.scopes;
  let leaving: Promise<void> | null = null;

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
        // Consent or a fresh sign-in is needed. Leaving the page is the app shell's decision
        // (reauthenticate), never a side effect of one request among several in flight.
        if (error instanceof InteractionRequiredAuthError) throw new SignInRequiredError({ cause: error });
        throw error;
      }
    },
    reauthenticate(returnTo) {
      if (!leaving) {
        rememberReturnTo(returnTo);
        const account = pca.getActiveAccount();
        leaving = (account ? pca.acquireTokenRedirect({ scopes, account }) : pca.loginRedirect({ scopes })).catch(
          (error: unknown) => {
            // The page did not leave (blocked, or another sign-in was already under way): let a later call try again.
            leaving = null;
            throw error;
          },
        );
      }
      return leaving;
    },
  };
}
