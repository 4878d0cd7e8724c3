import { act, render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { vi } from 'vitest';
import type { MainToUi, SelectionInfo, UiToMain } from '../../messages';
import { App } from '../App';
import { API, TOKEN } from './fixtures';

export const NOTHING_SELECTED: SelectionInfo = { count: 0, fillable: 0, width: null, height: null };

/** Delivers a message as Figma does: wrapped in `pluginMessage`, on the panel's window. */
export function sendFromMain(message: unknown) {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data: { pluginMessage: message } }));
  });
}

type Options = {
  /** What clientStorage held: signed in with the test token by default; null for a first start. */
  token?: string | null;
  apiUrl?: string | null;
  selection?: SelectionInfo;
  /** Leave out the 'init' answer (tests of what arrives before it). */
  skipInit?: boolean;
};

/**
 * The panel as Figma shows it, with this test playing the main thread: what the panel posts to its
 * parent is recorded, and `sendFromMain` answers.
 */
export function renderPlugin({ token = TOKEN, apiUrl = API, selection = NOTHING_SELECTED, skipInit }: Options = {}) {
  const posted: UiToMain[] = [];
  // In jsdom the panel is its own parent; recording instead of posting keeps its messages off its own listener.
  vi.spyOn(window.parent, 'postMessage').mockImplementation((data: unknown) => {
    posted.push((data as { pluginMessage: UiToMain }).pluginMessage);
  });
  const user = userEvent.setup();
  const result = render(<App pollMs={20} />);
  if (!skipInit) sendFromMain({ type: 'init', apiUrl, token, selection } satisfies MainToUi);
  /** The messages of one type the panel has posted so far. */
  function sent<T extends UiToMain['type']>(type: T): Extract<UiToMain, { type: T }>[] {
    return posted.filter((m): m is Extract<UiToMain, { type: T }> => m.type === type);
  }
  return { ...result, user, posted, sent };
}
