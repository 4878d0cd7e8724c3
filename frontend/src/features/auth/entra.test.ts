import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SignInRequiredError } from '@/lib/access-token';

// A stand-in for MSAL's PublicClientApplication: records what the app asks of it.
const msal = vi.hoisted(() => {
  class InteractionRequiredAuthError extends Error {}
  type Account = { name: string; username: string; tenantId: string };
  const state = {
    configs: [] as unknown[],
    redirectResult: null as null | { account: Account },
    accounts: [] as Account[],
    active: null as null | Account,
    silent: vi.fn(),
    acquireRedirect: vi.fn(async () => {}),
    loginRedirect: vi.fn(async () => {}),
    logoutRedirect: vi.fn(async () => {}),
  };
  class PublicClientApplication {
    constructor(config: unknown) {
      state.configs.push(config);
    }
    initialize = async () => {};
    handleRedirectPromise = async () => state.redirectResult;
    getActiveAccount = () => state.active;
    setActiveAccount = (a: typeof state.active) => {
      state.active = a;
    };
    getAllAccounts = () => state.accounts;
    acquireTokenSilent = state.silent;
    acquireTokenRedirect = state.acquireRedirect;
    loginRedirect = state.loginRedirect;
    logoutRedirect = state.logoutRedirect;
  }
  return { state, PublicClientApplication, InteractionRequiredAuthError };
});
vi.mock('@azure/msal-browser', () => ({
  PublicClientApplication: msal.PublicClientApplication,
  InteractionRequiredAuthError: msal.InteractionRequiredAuthError,
}));

const config = {
  client_id: 'web-client',
  authority: 'https://login.microsoftonline.com/72f988bf-0000-4000-8000-2d7cd011db47',
  scopes: ['api://bag/access_as_user'],
};

let n = 0;
async function start() {
  const { startEntra } = await import('./entra');
  n += 1; // a fresh instance per test (one per config and redirect URI otherwise)
  return startEntra(config, `http://localhost:3000/app/${n}`);
}

const TENANT = '72f988bf-0000-4000-8000-2d7cd011db47';
const ada = { name: 'Ada', username: 'ada@contoso.com', tenantId: TENANT };

beforeEach(() => {
  msal.state.redirectResult = null;
  msal.state.accounts = [];
  msal.state.active = null;
  msal.state.silent.mockReset();
  msal.state.acquireRedirect.mockReset();
  msal.state.loginRedirect.mockReset();
});

describe('Microsoft sign-in (MSAL)', () => {
  it('is set up from /auth/config with the app as redirect URI', async () => {
    await start();
    expect(msal.state.configs.at(-1)).toMatchObject({
      auth: { clientId: 'web-client', authority: config.authority, redirectUri: `http://localhost:3000/app/${n}` },
    });
  });

  it('takes the account from the redirect, and asks for the API scope silently', async () => {
    const account = ada;
    msal.state.redirectResult = { account };
    msal.state.silent.mockResolvedValue({ accessToken: 'at-1' });
    const entra = await start();
    expect(entra.account()).toBe(account);
    expect(await entra.getToken()).toBe('at-1');
    expect(msal.state.silent).toHaveBeenCalledWith({ scopes: config.scopes, account });
  });

  it('never leaves the page from inside a request: consent or a fresh sign-in is a SignInRequiredError', async () => {
    msal.state.accounts = [ada];
    msal.state.silent.mockRejectedValue(new msal.InteractionRequiredAuthError('interaction_required'));
    const entra = await start();
    const error = await entra.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInRequiredError);
    // In words, not MSAL's code.
    expect((error as Error).message).toBe('Your Microsoft sign-in needs to be renewed. Taking you to the sign-in page…');
    expect(msal.state.acquireRedirect).not.toHaveBeenCalled();
  });

  it('renews the sign-in with one redirect however many calls ask, remembering where to come back to', async () => {
    msal.state.accounts = [ada];
    const entra = await start();
    await Promise.all([entra.reauthenticate('/jobs/j1'), entra.reauthenticate('/jobs/j1'), entra.reauthenticate('/')]);
    expect(msal.state.acquireRedirect).toHaveBeenCalledTimes(1);
    expect(msal.state.acquireRedirect).toHaveBeenCalledWith({ scopes: config.scopes, account: ada });
    expect(sessionStorage.getItem('bag.returnTo')).toBe('/jobs/j1');
  });

  it('lets a later call try again when the redirect could not start', async () => {
    msal.state.accounts = [ada];
    msal.state.acquireRedirect.mockRejectedValueOnce(new Error('interaction_in_progress'));
    const entra = await start();
    await expect(entra.reauthenticate('/')).rejects.toThrow('interaction_in_progress');
    await entra.reauthenticate('/');
    expect(msal.state.acquireRedirect).toHaveBeenCalledTimes(2);
  });

  it("uses only an account of the app's own tenant", async () => {
    const other = { name: 'Ada (Fabrikam)', username: 'ada@fabrikam.com', tenantId: 'f0000000-0000-4000-8000-000000000001' };
    msal.state.accounts = [other, ada];
    expect((await start()).account()).toBe(ada);

    msal.state.accounts = [other];
    msal.state.active = other;
    const entra = await start();
    expect(entra.account()).toBeNull();
    expect(await entra.getToken()).toBeNull();
  });

  it('signs in with a redirect asking for the scopes', async () => {
    const entra = await start();
    expect(entra.account()).toBeNull();
    expect(await entra.getToken()).toBeNull();
    await entra.signIn();
    expect(msal.state.loginRedirect).toHaveBeenCalledWith({ scopes: config.scopes });
  });
});
