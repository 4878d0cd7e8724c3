import { BrowserRouter } from 'react-router';
import { env } from '@/config/env';
import { AppProvider } from './provider';
import { AppRoutes } from './router';

/**
 * The base path with its trailing slash, so the Generate page's address is `/app/?job=…` (not
 * `/app?job=…`, which a server's redirect to `/app/` may lose the query of). Only a page opened at
 * the bare `/app` (a server that did not redirect) takes it without, or nothing would match.
 */
export function routerBasename(basePath: string, pathname: string): string {
  const bare = basePath.replace(/\/$/, '');
  return bare && pathname === bare ? bare : basePath;
}

export function App() {
  return (
    <AppProvider>
      <BrowserRouter basename={routerBasename(env().basePath, window.location.pathname)}>
        <AppRoutes />
      </BrowserRouter>
    </AppProvider>
  );
}
