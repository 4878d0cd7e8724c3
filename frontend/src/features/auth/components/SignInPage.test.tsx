import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { API } from '@/testing/fixtures';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

const startEntra = vi.fn();
vi.mock('../entra', () => ({ startEntra: (...args: unknown[]) => startEntra(...args) }));

describe('development sign-in', () => {
  it('signs in with a name, shows who is signed in and keeps the token for a reload', async () => {
    const { user, location } = renderApp('/');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(location()).toBe('/signin');
    await user.type(screen.getByRole('textbox', { name: 'Your name' }), 'ada');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Generate' })).toBeInTheDocument();
    expect(location()).toBe('/');
    expect(within(screen.getByRole('banner')).getByText('ada')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Generate' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'History' })).toBeInTheDocument();
    expect(localStorage.getItem('bag.devName')).toBe('ada');
  });

  it('sends the dev token as the bearer token', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${API}/styles`, ({ request }) => {
        seen.push(request.headers.get('Authorization'));
        return HttpResponse.json([]);
      }),
    );
    renderApp('/', { signedInAs: 'grace' });
    await screen.findByRole('heading', { name: 'Generate' });
    await waitFor(() => expect(seen).toContain('Bearer dev:grace'));
  });

  it('signs in as a reviewer with the flag the development sign-in takes, and keeps it for a reload', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${API}/styles`, ({ request }) => {
        seen.push(request.headers.get('Authorization'));
        return HttpResponse.json([]);
      }),
    );
    const { user } = renderApp('/');
    await user.type(await screen.findByRole('textbox', { name: 'Your name' }), 'Grace Hopper');
    await user.click(screen.getByRole('checkbox', { name: /As a reviewer/ }));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Generate' })).toBeInTheDocument();
    await waitFor(() => expect(seen).toContain('Bearer dev:Grace%20Hopper;reviewer'));
    expect(localStorage.getItem('bag.devReviewer')).toBe('1');

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(localStorage.getItem('bag.devReviewer')).toBeNull();
  });

  it('returns to the page that asked for sign-in', async () => {
    const { user, location } = renderApp('/jobs?page=2');
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(location()).toBe(`/signin?next=${encodeURIComponent('/jobs?page=2')}`);

    await user.type(screen.getByRole('textbox', { name: 'Your name' }), 'ada');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'History' })).toBeInTheDocument();
    expect(location()).toBe('/jobs?page=2');
  });

  it('never follows a next= link to another site', async () => {
    const { user, location } = renderApp('/signin?next=//evil.example.com/x');
    await user.type(await screen.findByRole('textbox', { name: 'Your name' }), 'ada');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Generate' });
    expect(location()).toBe('/');
  });

  it('says beside the field when the name is not allowed', async () => {
    const { user } = renderApp('/signin');
    const name = await screen.findByRole('textbox', { name: 'Your name' });
    expect(name).toHaveAccessibleDescription(/letters in any script, digits, spaces/);
    await user.type(name, 'not a name!');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(/Use letters, digits, spaces and \. ' - _ @ only\./);
    expect(screen.queryByRole('heading', { name: 'Generate' })).not.toBeInTheDocument();
  });

  it('signs in with a name as people write it, spaces included', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${API}/styles`, ({ request }) => {
        seen.push(request.headers.get('Authorization'));
        return HttpResponse.json([]);
      }),
    );
    const { user } = renderApp('/signin');
    await user.type(await screen.findByRole('textbox', { name: 'Your name' }), "  Mary-Jane O'Neil ");
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Generate' })).toBeInTheDocument();
    // Spaces around the name are dropped; the one inside stays, percent-encoded in the header.
    expect(within(screen.getByRole('banner')).getByText("Mary-Jane O'Neil")).toBeInTheDocument();
    expect(localStorage.getItem('bag.devName')).toBe("Mary-Jane O'Neil");
    await waitFor(() => expect(seen).toContain("Bearer dev:Mary-Jane%20O'Neil"));
  });

  it('sends letters beyond Latin-1 percent-encoded as UTF-8, one form of each letter', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${API}/me`, ({ request }) => {
        seen.push(request.headers.get('Authorization'));
        return HttpResponse.json({ oid: 'dev-x', tid: 'dev-tenant', name: 'x', email: '' });
      }),
    );
    const { user } = renderApp('/signin');
    // "e" and a combining diaeresis: stored composed, as the server stores it.
    await user.type(await screen.findByRole('textbox', { name: 'Your name' }), 'Zoe\u0308 李');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Generate' })).toBeInTheDocument();
    expect(seen[0]).toBe('Bearer dev:Zo%C3%AB%20%E6%9D%8E');
    expect(localStorage.getItem('bag.devName')).toBe('Zo\u00eb 李');
  });

  it.each([
    ['Alice  Smith', 'Use one space between words.'],
    ['李'.repeat(61), 'Use at most 60 characters.'],
    ['a/b', "Use letters, digits, spaces and . ' - _ @ only."],
    ['\u0308a', "Use letters, digits, spaces and . ' - _ @ only."],
  ])('refuses %j before asking the server', async (typed, message) => {
    const { user } = renderApp('/signin');
    const name = await screen.findByRole('textbox', { name: 'Your name' });
    await user.type(name, typed);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(name).toHaveAccessibleDescription(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    expect(localStorage.getItem('bag.devName')).toBeNull();
  });

  it('counts the 60 characters as the server does, so 60 letters of any script pass', async () => {
    const { user } = renderApp('/signin');
    await user.type(await screen.findByRole('textbox', { name: 'Your name' }), '𝒜'.repeat(60));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Generate' })).toBeInTheDocument();
  });

  it('says so when the server refuses the name', async () => {
    server.use(http.get(`${API}/me`, () => HttpResponse.json({ error: { code: 'x', message: 'no' } }, { status: 401 })));
    const { user } = renderApp('/signin');
    const name = await screen.findByRole('textbox', { name: 'Your name' });
    await user.type(name, 'ada');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('The server did not accept that name.')).toBeInTheDocument();
    expect(localStorage.getItem('bag.devName')).toBeNull();
  });

  it('signs out and forgets the token', async () => {
    const { user, location } = renderApp('/', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByText('You have signed out.')).toBeInTheDocument();
    expect(location()).toBe('/signin');
    expect(localStorage.getItem('bag.devName')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
  });

  it("forgets the person's data on signing out, but not how this server signs people in", async () => {
    let configCalls = 0;
    server.use(
      http.get(`${API}/auth/config`, () => {
        configCalls += 1;
        return HttpResponse.json({ dev: true, entra: null });
      }),
    );
    const { user, queryClient } = renderApp('/', { signedInAs: 'ada' });
    await screen.findByRole('heading', { name: 'Generate' });
    await waitFor(() => expect(queryClient.getQueryData(['me'])).toBeDefined());
    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(queryClient.getQueryData(['me'])).toBeUndefined();
    expect(queryClient.getQueryData(['auth-config'])).toEqual({ dev: true, entra: null });
    expect(configCalls).toBe(1);
  });

  it('does not load Microsoft sign-in when the server only has the development sign-in', async () => {
    renderApp('/signin');
    await screen.findByRole('textbox', { name: 'Your name' });
    expect(screen.queryByRole('button', { name: 'Sign in with Microsoft' })).not.toBeInTheDocument();
    expect(startEntra).not.toHaveBeenCalled();
  });
});

describe('Microsoft sign-in', () => {
  const entraConfig = {
    client_id: 'web-client',
    authority: 'https://login.microsoftonline.com/tenant',
    scopes: ['api://bag/access_as_user'],
  };

  it('loads MSAL only when configured and starts the redirect with the scopes', async () => {
    const signIn = vi.fn(async () => {});
    startEntra.mockResolvedValue({
      account: () => null,
      signIn,
      signOut: vi.fn(),
      getToken: vi.fn(async () => null),
    });
    server.use(http.get(`${API}/auth/config`, () => HttpResponse.json({ dev: false, entra: entraConfig })));
    const { user } = renderApp('/jobs');

    const button = await screen.findByRole('button', { name: 'Sign in with Microsoft' });
    expect(startEntra).toHaveBeenCalledWith(entraConfig, 'http://localhost:3000/');
    expect(screen.queryByRole('textbox', { name: 'Your name' })).not.toBeInTheDocument();

    await user.click(button);
    expect(signIn).toHaveBeenCalled();
    expect(sessionStorage.getItem('bag.returnTo')).toBe('/jobs');
  });

  it('uses the Microsoft access token for API calls once signed in', async () => {
    startEntra.mockResolvedValue({
      account: () => ({ name: 'Ada Lovelace', username: 'ada@contoso.com' }),
      signIn: vi.fn(),
      signOut: vi.fn(),
      getToken: vi.fn(async () => 'entra-access-token'),
    });
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${API}/auth/config`, () => HttpResponse.json({ dev: true, entra: entraConfig })),
      http.get(`${API}/me`, ({ request }) => {
        seen.push(request.headers.get('Authorization'));
        return HttpResponse.json({ oid: 'o', tid: 't', name: 'Ada Lovelace', email: 'ada@contoso.com' });
      }),
    );
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Generate' })).toBeInTheDocument();
    expect(await within(screen.getByRole('banner')).findByText('Ada Lovelace')).toBeInTheDocument();
    expect(seen).toContain('Bearer entra-access-token');
  });

  it('says why coming back from Microsoft did not sign them in', async () => {
    startEntra.mockResolvedValue({
      redirectError: new Error('AADSTS50105: the signed in user is not assigned to a role for the application.'),
      account: () => null,
      signIn: vi.fn(),
      signOut: vi.fn(),
      getToken: vi.fn(),
    });
    server.use(http.get(`${API}/auth/config`, () => HttpResponse.json({ dev: false, entra: entraConfig })));
    renderApp('/');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Microsoft sign-in did not complete: AADSTS50105: the signed in user is not assigned',
    );
    expect(screen.getByRole('button', { name: 'Sign in with Microsoft' })).toBeEnabled();
  });

  it('offers both when both are on', async () => {
    startEntra.mockResolvedValue({
      account: () => null,
      signIn: vi.fn(),
      signOut: vi.fn(),
      getToken: vi.fn(),
    });
    server.use(http.get(`${API}/auth/config`, () => HttpResponse.json({ dev: true, entra: entraConfig })));
    renderApp('/signin');
    expect(await screen.findByRole('button', { name: 'Sign in with Microsoft' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Your name' })).toBeInTheDocument();
  });
});

describe('no sign-in configured', () => {
  it('says sign-in is not configured on this server', async () => {
    server.use(http.get(`${API}/auth/config`, () => HttpResponse.json({ dev: false, entra: null })));
    renderApp('/');
    expect(await screen.findByText(/Sign-in is not configured on this server/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Sign in/ })).not.toBeInTheDocument();
  });

  it('says the app could not start when the server cannot be reached, and tries again', async () => {
    let fail = true;
    server.use(
      http.get(`${API}/auth/config`, () => (fail ? HttpResponse.error() : HttpResponse.json({ dev: true, entra: null }))),
    );
    const { user } = renderApp('/signin');
    expect(await screen.findByText(/Could not reach the server/)).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });
});
