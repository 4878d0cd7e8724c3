import { isUiToMain, type MainToUi, type PlaceImage, type UiToMain } from '../messages';
import type { FigmaPort, PortNode, PortRectangle } from './figma-port';
import { placeImages } from './placing';
import { describeSelection } from './selection';
import { forgetToken, loadSettings, saveApiUrl, saveSignIn } from './storage';

/** The panel's size in Figma; its layout is made for this width. */
export const UI_SIZE = { width: 360, height: 640 } as const;

/** Opens the panel and answers its messages; `html` is the panel (Figma's `__html__`). */
export function runPlugin<N extends PortNode, R extends PortRectangle & N>(
  figma: FigmaPort<N, R>,
  html: string,
): void {
  const post = (message: MainToUi): void => figma.ui.postMessage(message);
  const selection = () => describeSelection(figma.currentPage.selection);
  let warnedAboutMessage = false;

  async function handle(message: UiToMain): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const settings = await loadSettings(figma.clientStorage);
        post({ type: 'init', ...settings, selection: selection() });
        return;
      }
      case 'save-settings':
        return saveSignIn(figma.clientStorage, message.apiUrl, message.token);
      case 'save-api-url':
        return saveApiUrl(figma.clientStorage, message.apiUrl);
      case 'sign-out':
        return forgetToken(figma.clientStorage);
      case 'place':
        return place(message.images, message.name);
      case 'notify':
        figma.notify(message.message, { error: message.error });
        return;
    }
  }

  function place(images: ReadonlyArray<PlaceImage>, name: string): void {
    const result = placeImages(figma, images, name);
    if (!result.ok) {
      figma.notify(result.message, { error: true });
      post({ type: 'place-failed', message: result.message });
      return;
    }
    figma.notify(summary(result.count, result.into));
    post({ type: 'placed', count: result.count, into: result.into });
  }

  figma.showUI(html, { ...UI_SIZE, themeColors: true });

  figma.ui.onmessage = (message: unknown) => {
    if (!isUiToMain(message)) {
      // Once is enough to spot a mismatched panel build without flooding the console.
      if (!warnedAboutMessage) console.warn('Ignored a message the plugin does not understand:', message);
      warnedAboutMessage = true;
      return;
    }
    handle(message).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      if (message.type === 'place') post({ type: 'place-failed', message: reason });
      figma.notify(`Brand Asset Generator: ${reason}`, { error: true });
    });
  };

  figma.on('selectionchange', () => post({ type: 'selection', selection: selection() }));
}

function summary(count: number, into: 'selection' | 'new'): string {
  const images = count === 1 ? '1 image' : `${count} images`;
  if (into === 'new') return `Placed ${images}`;
  return count === 1 ? 'Placed the image in the selected layer' : `Placed ${images} in the selected layers`;
}
