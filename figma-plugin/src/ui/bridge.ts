// The panel's only way to talk to the plugin's main thread. Figma wraps each message: the panel posts
// `{ pluginMessage }` to its parent, and main's messages arrive as `event.data.pluginMessage`.
import { isMainToUi, type MainToUi, type UiToMain } from '../messages';

export function postToMain(message: UiToMain): void {
  // '*': the panel cannot know the origin of Figma's host frame (and a plugin iframe's own is null).
  parent.postMessage({ pluginMessage: message }, '*');
}

/**
 * Calls `handler` with each message from the main thread that passes the guard; anything else (an
 * older main thread, another frame's message) is ignored, and said once in the console.
 */
export function onMainMessage(handler: (message: MainToUi) => void): () => void {
  // Once per listener (one per open panel), not once per page: each panel says it once.
  let warned = false;
  function listener(event: MessageEvent) {
    const data: unknown = event.data;
    // Messages not wrapped by Figma belong to someone else (browser extensions, dev tools).
    if (typeof data !== 'object' || data === null || !('pluginMessage' in data)) return;
    const message = data.pluginMessage;
    if (!isMainToUi(message)) {
      if (!warned) {
        warned = true;
        console.warn('The plugin panel ignored a message it does not understand:', message);
      }
      return;
    }
    handler(message);
  }
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}
