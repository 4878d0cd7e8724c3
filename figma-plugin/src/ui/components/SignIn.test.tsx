import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, errorBody, TOKEN } from '../testing/fixtures';
import { renderPlugin } from '../testing/plugin';
import { server } from '../testing/server';

async function signIn(user: ReturnType<typeof renderPlugin>['user'], token: string, apiUrl = API) {
  const address = await screen.findByLabelText('API address');
  await user.clear(address);
  await user.type(address, apiUrl);
  await user.type(screen.getByLabelText('Access token'), token);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('Sign in', () => {
  it('asks the main thread for the saved settings as soon as it loads', () => {
    const { sent } = renderPlugin({ skipInit: true });
    expect(sent('ready')).toHaveLength(1);
    expect(screen.getByRole('status')).toHaveTextContent('Loading');
  });

  it('checks the token with GET /me, then saves it and opens the panel', async () => {
    let authorization: string | null = null;
    let asked = 0;
    server.use(
      http.get(`${API}/me`, ({ request }) => {
        asked += 1;
        authorization = request.headers.get('Authorization');
        return HttpResponse.json({ oid: 'o', tid: 't', name: 'Dana Designer', email: 'dana@example.com' });
      }),
    );
    const { user, sent } = renderPlugin({ token: null, apiUrl: null });

    await signIn(user, TOKEN, `${API}/`);

    expect(await screen.findByRole('form', { name: 'Generate images' })).toBeInTheDocument();
    expect(authorization).toBe(`Bearer ${TOKEN}`);
    expect(asked).toBe(1);
    expect(screen.getByText('Dana Designer')).toBeInTheDocument();
    // The trailing slash is dropped: paths are appended to the address.
    expect(sent('save-settings')).toEqual([{ type: 'save-settings', apiUrl: API, token: TOKEN }]);
  });

  it('says a revoked or expired token (401) in words and keeps nothing', async () => {
    const { user, sent } = renderPlugin({ token: null });

    await signIn(user, 'bag_pat_revoked');

    expect(await screen.findByRole('alert')).toHaveTextContent(/revoked or has expired/);
    expect(sent('save-settings')).toEqual([]);
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('says a token without access (403) has no access', async () => {
    server.use(
      http.get(`${API}/me`, () => HttpResponse.json(errorBody('forbidden', 'Forbidden.'), { status: 403 })),
    );
    const { user, sent } = renderPlugin({ token: null });

    await signIn(user, TOKEN);

    expect(await screen.findByRole('alert')).toHaveTextContent('This token has no access to the brand generator');
    expect(sent('save-settings')).toEqual([]);
  });

  it('says when the API cannot be reached at the address given', async () => {
    server.use(http.get(`${API}/me`, () => HttpResponse.error()));
    const { user } = renderPlugin({ token: null });

    await signIn(user, TOKEN);

    expect(await screen.findByRole('alert')).toHaveTextContent(`Could not reach ${API}.`);
  });

  it('asks for an address and a token before calling the API', async () => {
    const { user } = renderPlugin({ token: null, apiUrl: null });

    await user.click(await screen.findByRole('button', { name: 'Sign in' }));

    const address = screen.getByLabelText('API address');
    expect(address).toHaveAttribute('aria-invalid', 'true');
    expect(address).toHaveAccessibleDescription(/starting with https:\/\//);
    expect(address).toHaveFocus();
    expect(screen.getByLabelText('Access token')).toHaveAccessibleDescription(/Paste the access token/);
  });

  it('links to the web app page where tokens are made, at the address typed', async () => {
    const { user } = renderPlugin({ token: null, apiUrl: null });
    expect(screen.queryByRole('link', { name: /make a token/i })).not.toBeInTheDocument();

    await user.type(await screen.findByLabelText('API address'), 'https://brand.example.org');

    const link = screen.getByRole('link', { name: 'Make a token in the web app' });
    expect(link).toHaveAttribute('href', 'https://brand.example.org/app/settings');
    expect(link).toHaveAttribute('target', '_blank');
  });

  it('sends a person whose kept token was revoked back to sign in, saying why, and forgets the token', async () => {
    const { sent } = renderPlugin({ token: 'bag_pat_revoked' });

    const form = await screen.findByRole('form', { name: 'Sign in' });
    expect(within(form).getByRole('alert')).toHaveTextContent(/revoked or has expired/);
    expect(screen.getByLabelText('API address')).toHaveValue(API);
    // Kept, the dead token would be sent again at every launch (each refused call may say so: forgetting is idempotent).
    expect(sent('sign-out')).toContainEqual({ type: 'sign-out' });
  });

  it('signs in on Enter without a native form submission (a sandbox without allow-forms drops those)', async () => {
    const { user, sent } = renderPlugin({ token: null });
    const submissions: Event[] = [];
    document.addEventListener('submit', (event) => submissions.push(event));

    await user.type(await screen.findByLabelText('Access token'), `${TOKEN}{Enter}`);

    expect(await screen.findByRole('form', { name: 'Generate images' })).toBeInTheDocument();
    expect(sent('save-settings')).toHaveLength(1);
    expect(submissions).toEqual([]);
  });
});
