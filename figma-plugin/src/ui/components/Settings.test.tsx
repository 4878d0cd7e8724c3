import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { TOKEN } from '../testing/fixtures';
import { renderPlugin } from '../testing/plugin';
import { server } from '../testing/server';

describe('Settings', () => {
  it('signing out asks main to forget the token and shows sign-in with the address kept', async () => {
    const { user, sent } = renderPlugin();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    expect(await screen.findByText('Signed in as Dana Designer.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(sent('sign-out')).toEqual([{ type: 'sign-out' }]);
    expect(await screen.findByRole('form', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByLabelText('API address')).toHaveValue('http://localhost:3000');
    expect(screen.getByLabelText('Access token')).toHaveValue('');
  });

  it('saves a new API address and uses it from then on', async () => {
    const other = 'https://brand.example.org';
    let asked = false;
    server.use(
      http.get(`${other}/me`, ({ request }) => {
        asked = request.headers.get('Authorization') === `Bearer ${TOKEN}`;
        return HttpResponse.json({ oid: 'o', tid: 't', name: 'Dana at Org', email: 'd@example.org' });
      }),
      http.get(`${other}/models`, () => HttpResponse.json([])),
      http.get(`${other}/styles`, () => HttpResponse.json([])),
    );
    const { user, sent } = renderPlugin();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const address = screen.getByLabelText('API address');

    await user.clear(address);
    await user.type(address, `${other}/`);
    await user.click(screen.getByRole('button', { name: 'Save address' }));

    expect(sent('save-api-url')).toEqual([{ type: 'save-api-url', apiUrl: other }]);
    expect(await screen.findByText('Signed in as Dana at Org.')).toBeInTheDocument();
    expect(asked).toBe(true);
  });

  it('refuses an address that is not http(s)', async () => {
    const { user, sent } = renderPlugin();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const address = screen.getByLabelText('API address');

    await user.clear(address);
    await user.type(address, 'brand generator');
    await user.click(screen.getByRole('button', { name: 'Save address' }));

    expect(address).toHaveAccessibleDescription(/starting with https:\/\//);
    expect(sent('save-api-url')).toEqual([]);
  });
});
