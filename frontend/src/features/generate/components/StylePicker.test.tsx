import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, styles } from '@/testing/fixtures';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

describe('the brand style picker', () => {
  it("names each style's current version", { timeout: 15_000 }, async () => {
    server.use(
      http.get(`${API}/styles`, () => HttpResponse.json([{ ...styles[0]!, version: 3 }, { ...styles[1]!, version: null }])),
    );
    renderApp('/', { signedInAs: 'ada' });
    const picker = await screen.findByLabelText('Brand style');
    expect(await within(picker).findByRole('option', { name: 'acme-flat (v3)' })).toHaveValue('acme-flat');
  });
});
