import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { resetSession } from '@/features/auth/session';
import { matchMedia, resetScreen } from './media';
import { server } from './server';

// findBy*/waitFor give up after 1 s by default: the first test of a file waits for a lazy page's
// chunk to be transformed, which on a loaded two-core machine took longer and failed at random.
configure({ asyncUtilTimeout: 5000 });

// The scripts' tests run in plain Node (no window); the rest in jsdom.
const dom = typeof window !== 'undefined';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  if (dom) {
    cleanup();
    localStorage.clear();
    sessionStorage.clear();
    resetScreen();
  }
  server.resetHandlers();
  resetSession();
  vi.useRealTimers();
});
afterAll(() => server.close());

if (dom) {
  // jsdom lacks these; the app calls them.
  window.scrollTo = (() => {}) as typeof window.scrollTo;
  if (!URL.createObjectURL) URL.createObjectURL = () => 'blob:test';
  if (!URL.revokeObjectURL) URL.revokeObjectURL = () => {};
  // A desktop screen with a mouse unless a test says otherwise (testing/media.ts).
  window.matchMedia = matchMedia;
  Element.prototype.scrollIntoView = function scrollIntoView() {};
}
