import { describe, expect, it } from 'vitest';
import { routerBasename } from './App';

describe("the router's base path", () => {
  it('keeps the trailing slash, so the Generate page is /app/?job=… (a server redirect of /app may drop the query)', () => {
    expect(routerBasename('/app/', '/app/')).toBe('/app/');
    expect(routerBasename('/app/', '/app/jobs/1')).toBe('/app/');
  });

  it('takes the bare path for a page opened at /app, so it still shows', () => {
    expect(routerBasename('/app/', '/app')).toBe('/app');
  });

  it('is / at the root', () => {
    expect(routerBasename('/', '/')).toBe('/');
    expect(routerBasename('/', '/jobs')).toBe('/');
  });
});
