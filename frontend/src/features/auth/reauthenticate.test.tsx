import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API } from '@/testing/fixtures';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

// The whole app with the real entra.ts over a stand-in MSAL: a signed-in account whose token
// can only be renewed with the person (consent, an expired sign-in).
const msal = vi.hoisted(() => {
  class InteractionRequiredAuthError extends Error {}
  const account = { name: 'Ada Lovelace', username: 'ada@contoso.com', tenantId: 'tenant-1' };
  const state = {
    silent: vi.fn(),
    acquireRedirect: vi.fn(async () => {}),
    loginRedirect: vi.fn(async () => {}),
  };
  class PublicClientApplication {
    active: typeof account | null = null;
    initialize = async () => {};
    handleRedirectPromise = async () => null;
    getActiveAccount = () => this.active;
    setActiveAccount = (a: typeof account | null) => {
      this.active = a;
    };
    getAllAccounts = () => [account];
    acquireTokenSilent = state.silent;
    acquireTokenRedirect = state.acquireRedirect;
    loginRedirect = state.loginRedirect;
    logoutRedirect = vi.fn();
  }
  return { state, account, PublicClientApplication, InteractionRequiredAuthError };
});
vi.mock('@azure/msal-browser', () => ({
  PublicClientApplication: msal.PublicClientApplication,
  InteractionRequiredAuthError: msal.InteractionRequiredAuthError,
}));

let n = 0;
function useEntraServer() {
  n += 1; // one MSAL instance per configuration: a fresh one per test
  const entra = { client_id: `web-${n}`, authority: 'https://login.microsoftonline.com/tenant-1', scopes: ['api://bag/.default'] };
  server.use(http.get(`${API}/auth/config`, () => HttpResponse.json({ dev: false, entra })));
}

afterEach(() => {
  window.history.replaceState(null, '', '/');
  msal.state.silent.mockReset();
  msal.state.acquireRedirect.mockReset();
});

describe('a Microsoft sign-in that needs the person again', () => {
  it('leaves for Microsoft once, however many calls needed it, and remembers where the person was', async () => {
    useEntraServer();
    msal.state.silent.mockRejectedValue(new msal.InteractionRequiredAuthError('interaction_required: AADSTS65001'));
    // The Generate page asks for /me, /models and /styles at once.
    window.history.replaceState(null, '', '/?job=j1');
    renderApp('/?job=j1');

    await waitFor(() => expect(msal.state.acquireRedirect).toHaveBeenCalled());
    await waitFor(() => expect(msal.state.silent.mock.calls.length).toBeGreaterThanOrEqual(3));
    expect(msal.state.acquireRedirect).toHaveBeenCalledTimes(1);
    expect(msal.state.acquireRedirect).toHaveBeenCalledWith({ scopes: ['api://bag/.default'], account: msal.account });
    expect(sessionStorage.getItem('bag.returnTo')).toBe('/?job=j1');
    // What the page says meanwhile is in words, not MSAL's.
    expect(screen.queryByText(/AADSTS|interaction_required/)).not.toBeInTheDocument();
  });

  it('sends the person to the sign-in page when the page cannot leave', async () => {
    useEntraServer();
    msal.state.silent.mockRejectedValue(new msal.InteractionRequiredAuthError('interaction_required'));
    msal.state.acquireRedirect.mockRejectedValue(new Error('interaction_in_progress'));
    window.history.replaceState(null, '', '/jobs');
    const { location } = renderApp('/jobs');

    expect(await screen.findByRole('button', { name: 'Sign in with Microsoft' })).toBeInTheDocument();
    expect(location()).toBe(`/signin?next=${encodeURIComponent('/jobs')}`);
    expect(screen.getByText(/Your session has ended/)).toBeInTheDocument();
  });
});
