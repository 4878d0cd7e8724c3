import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { AppProvider, createAppQueryClient } from '@/app/provider';
import { AppRoutes } from '@/app/router';

function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

type Options = {
  /** Start signed in with the development sign-in as this name. */
  signedInAs?: string;
  /** With the reviewer role (the development sign-in's `;reviewer`). */
  reviewer?: boolean;
  /** Options for user-event (e.g. advanceTimers with fake timers). */
  userOptions?: Parameters<typeof userEvent.setup>[0];
};

/** The whole app at `path`, with the real providers and routes, against the MSW server. */
export function renderApp(path = '/', { signedInAs, reviewer, userOptions }: Options = {}) {
  if (signedInAs) localStorage.setItem('bag.devName', signedInAs);
  if (reviewer) localStorage.setItem('bag.devReviewer', '1');
  const queryClient = createAppQueryClient();
  // Fail fast in tests instead of retrying with back-off.
  queryClient.setDefaultOptions({
    ...queryClient.getDefaultOptions(),
    queries: { ...queryClient.getDefaultOptions().queries, retry: false },
  });
  const user = userEvent.setup(userOptions);
  const result = render(
    <AppProvider queryClient={queryClient}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
        <LocationProbe />
      </MemoryRouter>
    </AppProvider>,
  );
  return { ...result, user, queryClient, location: () => screen.getByTestId('location').textContent };
}
