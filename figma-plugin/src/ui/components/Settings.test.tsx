import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
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

  it('saves a new API address and asks for a token made there, never sending the old one to it', async () => {
    const other = 'https://brand.example.org';
    const seen: string[] = [];
    server.use(
      http.get(`${other}/*`, ({ request }) => {
        seen.push(request.headers.get('Authorization') ?? '');
        return HttpResponse.json({}, { status: 401 });
      }),
    );
    const { user, sent } = renderPlugin();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    const address = screen.getByLabelText('API address');

    await user.clear(address);
    await user.type(address, `${other}/`);
    await user.click(screen.getByRole('button', { name: 'Save address' }));

    expect(sent('save-api-url')).toEqual([{ type: 'save-api-url', apiUrl: other }]);
    expect(sent('sign-out')).toHaveLength(1);
    expect(await screen.findByText(/The API address changed/)).toBeInTheDocument();
    expect(screen.getByLabelText('API address')).toHaveValue(other);
    expect(screen.getByLabelText('Access token')).toHaveValue('');
    expect(seen).toEqual([]);
  });

  it('keeps the session when the address saved is the one in use', async () => {
    const { user, sent } = renderPlugin();
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(sent('save-api-url')).toEqual([]);
    expect(sent('sign-out')).toEqual([]);
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
