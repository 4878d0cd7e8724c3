import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { components } from '@/api/schema';
import { API, errorBody } from '@/testing/fixtures';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';
import { expiryText, lifetimeChoices } from './token-dates';

type Token = components['schemas']['TokenPublic'];
const DAY = 24 * 60 * 60 * 1000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString();

function token(overrides: Partial<Token> = {}): Token {
  return {
    id: 'tok-1',
    name: 'CI',
    prefix: 'bag_pat_AbCd',
    created_at: '2026-11-01T10:00:00Z',
    last_used_at: null,
    expires_at: daysFromNow(10.5),
    ...overrides,
  };
}

/** A token API holding `tokens`, recording what was created and revoked. */
function tokenApi(initial: Token[]) {
  let tokens = [...initial];
  const created: unknown[] = [];
  const revoked: string[] = [];
  const handlers = [
    http.get(`${API}/tokens/policy`, () => HttpResponse.json({ default_days: 30, max_days: 90 })),
    http.get(`${API}/tokens`, () => HttpResponse.json(tokens)),
    http.post(`${API}/tokens`, async ({ request }) => {
      const body = (await request.json()) as { name: string; expires_in_days: number };
      created.push(body);
      const made = token({ id: 'tok-new', name: body.name, prefix: 'bag_pat_XyZw', expires_at: daysFromNow(body.expires_in_days) });
      tokens = [made, ...tokens];
      return HttpResponse.json({ ...made, token: 'bag_pat_XyZw-the-whole-secret' }, { status: 201 });
    }),
    http.delete(`${API}/tokens/:id`, ({ params }) => {
      revoked.push(String(params.id));
      tokens = tokens.filter((t) => t.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
  ];
  return { handlers, created, revoked };
}

describe('access tokens', () => {
  it('lists name, prefix, created, last used and expiry', async () => {
    server.use(
      ...tokenApi([
        token(),
        token({ id: 'tok-2', name: 'Figma', prefix: 'bag_pat_QqQq', last_used_at: '2026-11-20T08:00:00Z', expires_at: daysFromNow(-1) }),
      ]).handlers,
    );
    renderApp('/settings', { signedInAs: 'ada' });
    expect(await screen.findByRole('heading', { level: 2, name: 'Access tokens' })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Your access tokens' });
    const ci = within(table).getByRole('row', { name: /^CI/ });
    expect(ci).toHaveTextContent('bag_pat_AbCd…');
    expect(ci).toHaveTextContent('never');
    expect(ci).toHaveTextContent('expires in 10 days');
    const figma = within(table).getByRole('row', { name: /^Figma/ });
    expect(figma).not.toHaveTextContent('never');
    expect(figma).toHaveTextContent('(expired)');
  });

  it('offers a week, a month, a quarter and the longest allowed, starting at the default, and shows the secret once with a copy button', async () => {
    const tokens = tokenApi([]);
    server.use(...tokens.handlers);
    const { user } = renderApp('/settings', { signedInAs: 'ada' });
    expect(await screen.findByText('You have no access tokens.')).toBeInTheDocument();
    expect(screen.getByText('Authorization: Bearer <token>')).toBeInTheDocument();

    const lifetime = await screen.findByLabelText('Expires after');
    expect(lifetime).toHaveValue('30');
    const offered = within(lifetime).getAllByRole('option').map((o) => (o as HTMLOptionElement).value);
    expect(offered).toEqual(['7', '30', '90']);
    expect(within(lifetime).getByRole('option', { name: /^90 days, the longest allowed \(until / })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Name'), 'Figma plugin');
    await user.selectOptions(lifetime, '7');
    await user.click(screen.getByRole('button', { name: 'Create token' }));

    expect(await screen.findByRole('heading', { name: 'Your new token “Figma plugin”' })).toHaveFocus();
    expect(tokens.created).toEqual([{ name: 'Figma plugin', expires_in_days: 7 }]);
    expect(screen.getByText(/it will not be shown again/)).toBeInTheDocument();
    expect(screen.getByLabelText('Token secret')).toHaveValue('bag_pat_XyZw-the-whole-secret');
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe('bag_pat_XyZw-the-whole-secret');
    expect(screen.getByText('Copied to the clipboard.')).toHaveAttribute('role', 'status');
    expect(await screen.findByRole('row', { name: /^Figma plugin/ })).toHaveTextContent('expires in 6 days');

    await user.click(screen.getByRole('button', { name: 'Done, I have copied it' }));
    expect(screen.queryByLabelText('Token secret')).not.toBeInTheDocument();
    expect(screen.queryByText(/the-whole-secret/)).not.toBeInTheDocument();
  });

  it('says so when the browser refuses the copy, and the secret stays there to copy by hand', async () => {
    server.use(...tokenApi([]).handlers);
    const { user } = renderApp('/settings', { signedInAs: 'ada' });
    await user.type(await screen.findByLabelText('Name'), 'CI');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByLabelText('Token secret')).toHaveValue('bag_pat_XyZw-the-whole-secret');

    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValueOnce(new DOMException('Denied', 'NotAllowedError'));
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await screen.findByText('Could not copy; select the token and copy it yourself.')).toHaveAttribute('role', 'status');
    expect(screen.getByLabelText('Token secret')).toHaveValue('bag_pat_XyZw-the-whole-secret');
  });

  it("shows the server's refusals: a lifetime over the maximum beside its field, too many tokens as an alert", async () => {
    const tokens = tokenApi([]);
    server.use(...tokens.handlers);
    const { user } = renderApp('/settings', { signedInAs: 'ada' });
    await user.type(await screen.findByLabelText('Name'), 'CI');

    server.use(
      http.post(`${API}/tokens`, () =>
        HttpResponse.json(
          { error: { ...errorBody('invalid_request', 'The request is invalid.').error, fields: [{ field: 'expires_in_days', message: 'A token may live at most 90 days.' }] } },
          { status: 400 },
        ),
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByText('A token may live at most 90 days.')).toBeInTheDocument();
    expect(screen.getByLabelText('Expires after')).toHaveAttribute('aria-invalid', 'true');

    server.use(
      http.post(`${API}/tokens`, () =>
        HttpResponse.json(errorBody('too_many_tokens', 'You already hold 20 access tokens; revoke one first.'), { status: 409 }),
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You already hold 20 access tokens; revoke one first.');
  });

  it('revokes a token only after confirming', async () => {
    const tokens = tokenApi([token()]);
    server.use(...tokens.handlers);
    const { user } = renderApp('/settings', { signedInAs: 'ada' });

    await user.click(await screen.findByRole('button', { name: 'Revoke CI' }));
    let dialog = screen.getByRole('dialog', { name: 'Revoke “CI”?' });
    expect(within(dialog).getByRole('button', { name: 'Keep it' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(tokens.revoked).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Revoke CI' }));
    dialog = screen.getByRole('dialog', { name: 'Revoke “CI”?' });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, revoke' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(tokens.revoked).toEqual(['tok-1']);
    expect(await screen.findByText('You have no access tokens.')).toBeInTheDocument();
  });

  it('is reached from Settings in the header', async () => {
    server.use(...tokenApi([]).handlers);
    const { user, location } = renderApp('/', { signedInAs: 'ada' });
    await user.click(await screen.findByRole('link', { name: 'Settings' }));
    await waitFor(() => expect(location()).toBe('/settings'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { level: 2, name: 'Access tokens' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  });

  it('keeps the old /tokens address working: it leads to Settings', async () => {
    server.use(...tokenApi([]).handlers);
    const { location } = renderApp('/tokens', { signedInAs: 'ada' });
    expect(await screen.findByRole('heading', { level: 2, name: 'Access tokens' })).toBeInTheDocument();
    expect(location()).toBe('/settings');
  });
});

describe('expiryText', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('counts whole days left, and says expired from the moment it is', () => {
    expect(expiryText('2026-12-11T13:00:00Z', now)).toBe('expires in 10 days');
    expect(expiryText('2026-12-02T12:00:00Z', now)).toBe('expires in 1 day');
    expect(expiryText('2026-12-01T18:00:00Z', now)).toBe('expires in less than a day');
    expect(expiryText('2026-12-01T12:00:00Z', now)).toBe('expired');
    expect(expiryText('2026-11-01T12:00:00Z', now)).toBe('expired');
  });
});

describe('lifetimeChoices', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it("adds the server's default and maximum to the common lifetimes, none over the maximum, each with its end date", () => {
    const choices = lifetimeChoices({ default_days: 45, max_days: 366 }, now);
    expect(choices.map((c) => c.days)).toEqual([7, 30, 45, 90, 366]);
    expect(choices[0]?.label).toMatch(/^7 days \(until .*2026\)$/);
    expect(choices[4]?.label).toMatch(/^366 days, the longest allowed \(until .*2027\)$/);
    expect(lifetimeChoices({ default_days: 14, max_days: 14 }, now).map((c) => c.days)).toEqual([7, 14]);
  });
});
