import { beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in for MSAL's PublicClientApplication: records what the app asks of it.
const msal = vi.hoisted(() => {
  class InteractionRequiredAuthError extends Error {}
  const state = {
    configs: [] as unknown[],
    redirectResult: null as null | { account: { name: string; username: string } },
    accounts: [] as { name: string; username: string }[],
    active: null as null | { name: string; username: string },
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
vi.mock('@azure/msal-react', () => ({ MsalProvider: ({ children }: { children: unknown }) => children }));

const config = {
  client_id: 'web-client',
  authority: 'https://login.microsoftonline.com/tenant',
  scopes: ['api://bag/access_as_user'],
};

let n = 0;
async function start() {
  const { startEntra } = await import('./entra');
  n += 1; // a fresh instance per test (one per config and redirect URI otherwise)
  return startEntra(config, `http://localhost:3000/app/${n}`);
}

beforeEach(() => {
  msal.state.redirectResult = null;
  msal.state.accounts = [];
  msal.state.active = null;
  msal.state.silent.mockReset();
});

describe('Microsoft sign-in (MSAL)', () => {
  it('is set up from /auth/config with the app as redirect URI', async () => {
    await start();
    expect(msal.state.configs.at(-1)).toMatchObject({
      auth: { clientId: 'web-client', authority: config.authority, redirectUri: `http://localhost:3000/app/${n}` },
    });
  });

  it('takes the account from the redirect, and asks for the API scope silently', async () => {
    const account = { name: 'Ada', username: 'ada@contoso.com' };
    msal.state.redirectResult = { account };
    msal.state.silent.mockResolvedValue({ accessToken: 'at-1' });
    const entra = await start();
    expect(entra.account()).toBe(account);
    expect(await entra.getToken()).toBe('at-1');
    expect(msal.state.silent).toHaveBeenCalledWith({ scopes: config.scopes, account });
  });

  it('falls back to a redirect when consent or a fresh sign-in is needed', async () => {
    const account = { name: 'Ada', username: 'ada@contoso.com' };
    msal.state.accounts = [account];
    msal.state.silent.mockRejectedValue(new msal.InteractionRequiredAuthError('interaction_required'));
    const entra = await start();
    await expect(entra.getToken()).rejects.toThrow('interaction_required');
    expect(msal.state.acquireRedirect).toHaveBeenCalledWith({ scopes: config.scopes, account });
  });

  it('signs in with a redirect asking for the scopes', async () => {
    const entra = await start();
    expect(entra.account()).toBeNull();
    expect(await entra.getToken()).toBeNull();
    await entra.signIn();
    expect(msal.state.loginRedirect).toHaveBeenCalledWith({ scopes: config.scopes });
  });
});
