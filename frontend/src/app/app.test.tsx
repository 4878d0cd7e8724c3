import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, errorBody, makeJob } from '@/testing/fixtures';
import { renderApp } from '@/testing/render';
import { server } from '@/testing/server';

describe('the app shell', () => {
  it('marks the first screen ready, with a skip link, landmarks, a heading and a title', async () => {
    renderApp('/', { signedInAs: 'ada' });
    expect(await screen.findByTestId('app-ready')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { level: 1, name: 'Generate' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Skip to main content' })).toHaveAttribute('href', '#main');
    expect(screen.getByRole('main')).toHaveAttribute('id', 'main');
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    // The link is named by what it shows (the phone layout hides the words visually only).
    expect(within(screen.getByRole('banner')).getByRole('link', { name: 'Brand asset generator' })).toHaveAttribute('href', '/');
    expect(document.title).toBe('Generate · Brand asset generator');
  });

  it('has a page for addresses that do not exist', async () => {
    renderApp('/nowhere', { signedInAs: 'ada' });
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(document.title).toBe('Page not found · Brand asset generator');
  });

  it('sends people to sign in when the server says the session is over (401), then back to where they were', async () => {
    let accepted = false;
    server.use(
      http.get(`${API}/jobs/j9`, ({ request }) =>
        accepted && request.headers.get('Authorization') === 'Bearer dev:ada'
          ? HttpResponse.json(makeJob({ job_id: 'j9', status: 'cancelled' }))
          : HttpResponse.json(errorBody('not_authenticated', 'Token expired.'), { status: 401 }),
      ),
    );
    const { user, location } = renderApp('/jobs/j9', { signedInAs: 'ada' });

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(location()).toBe(`/signin?next=${encodeURIComponent('/jobs/j9')}`);
    expect(screen.getByText(/Your session has ended/)).toBeInTheDocument();
    expect(localStorage.getItem('bag.devName')).toBeNull();

    accepted = true;
    await user.type(screen.getByRole('textbox', { name: 'Your name' }), 'ada');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(location()).toBe('/jobs/j9'));
    expect(await screen.findByText('Cancelled')).toBeInTheDocument();
  });

  it('says plainly when the person has no access (403)', async () => {
    server.use(
      http.get(`${API}/me`, () =>
        HttpResponse.json(errorBody('forbidden', 'Ask for the Generator.Use app role.'), { status: 403 }),
      ),
    );
    renderApp('/', { signedInAs: 'ada' });
    expect(await screen.findByRole('heading', { name: 'No access' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      "You don't have access to the brand generator; ask your administrator.",
    );
    expect(screen.getByText('Ask for the Generator.Use app role.')).toBeInTheDocument();
    // They can still sign out and try another account.
    expect(within(screen.getByRole('banner')).getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
  });

  it('says a 503 on a page with when to try again', async () => {
    server.use(
      http.get(`${API}/jobs`, () =>
        HttpResponse.json(errorBody('runner_starting', 'The model is starting.'), {
          status: 503,
          headers: { 'Retry-After': '20' },
        }),
      ),
    );
    renderApp('/jobs', { signedInAs: 'ada' });
    expect(await screen.findByRole('alert')).toHaveTextContent('The model is starting.');
    expect(screen.getByText('Try again in 20 seconds.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeDisabled();
  });
});
