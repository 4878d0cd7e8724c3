// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { runPlugin } from './plugin';
import { FakeFigma } from './testing/fake-figma';

function start(): FakeFigma {
  const figma = new FakeFigma();
  runPlugin(figma, '<html>panel</html>');
  return figma;
}

describe('the main thread', () => {
  it('opens the panel at the default plugin width with Figma theme colours', () => {
    const figma = start();
    expect(figma.shownUi).toEqual({
      html: '<html>panel</html>',
      options: { width: 360, height: 640, themeColors: true },
    });
  });

  it('answers ready with the stored API address, token and the current selection', async () => {
    const figma = new FakeFigma();
    figma.clientStorage.values.set('apiUrl', 'https://brand-assets.example.com');
    figma.clientStorage.values.set('token', 'bag_secret');
    figma.select(figma.addNode({ type: 'FRAME', width: 1200, height: 628 }));
    runPlugin(figma, '');

    await figma.ui.receive({ type: 'ready' });

    expect(figma.ui.messagesOfType('init')).toEqual([
      {
        type: 'init',
        apiUrl: 'https://brand-assets.example.com',
        token: 'bag_secret',
        selection: { count: 1, fillable: 1, width: 1200, height: 628 },
      },
    ]);
  });

  it('answers ready with nulls before anyone has signed in', async () => {
    const figma = start();
    figma.clientStorage.values.set('token', ''); // an emptied value reads as unset

    await figma.ui.receive({ type: 'ready' });

    expect(figma.ui.messagesOfType('init')).toEqual([
      { type: 'init', apiUrl: null, token: null, selection: { count: 0, fillable: 0, width: null, height: null } },
    ]);
  });

  it('keeps the address and token of a sign-in for the next time the plugin opens', async () => {
    const figma = start();
    await figma.ui.receive({ type: 'save-settings', apiUrl: 'http://localhost:3000', token: 'bag_new' });

    await figma.ui.receive({ type: 'ready' });

    expect(figma.ui.messagesOfType('init')[0]).toMatchObject({ apiUrl: 'http://localhost:3000', token: 'bag_new' });
  });

  it('changes the API address without touching the token', async () => {
    const figma = start();
    figma.clientStorage.values.set('apiUrl', 'http://localhost:3000');
    figma.clientStorage.values.set('token', 'bag_kept');

    await figma.ui.receive({ type: 'save-api-url', apiUrl: 'https://brand-assets.example.com' });

    expect(Object.fromEntries(figma.clientStorage.values)).toEqual({
      apiUrl: 'https://brand-assets.example.com',
      token: 'bag_kept',
    });
  });

  it('forgets the token on sign-out and keeps the API address', async () => {
    const figma = start();
    await figma.ui.receive({ type: 'save-settings', apiUrl: 'https://brand-assets.example.com', token: 'bag_old' });

    await figma.ui.receive({ type: 'sign-out' });
    await figma.ui.receive({ type: 'ready' });

    expect(figma.clientStorage.values.has('token')).toBe(false);
    expect(figma.ui.messagesOfType('init')[0]).toMatchObject({
      apiUrl: 'https://brand-assets.example.com',
      token: null,
    });
  });

  it('tells the panel of each selection change: layers, how many take an image, the first one’s size', async () => {
    const figma = start();
    const frame = figma.addNode({ type: 'FRAME', width: 800, height: 600, fills: [] });
    const text = figma.addNode({ type: 'TEXT', width: 200, height: 40, fills: [] });
    const ellipse = figma.addNode({ type: 'ELLIPSE', width: 64, height: 64, fills: [] });

    figma.select(text, frame, ellipse);
    await Promise.resolve();
    figma.select();
    await Promise.resolve();

    expect(figma.ui.messagesOfType('selection')).toEqual([
      { type: 'selection', selection: { count: 3, fillable: 2, width: 200, height: 40 } },
      { type: 'selection', selection: { count: 0, fillable: 0, width: null, height: null } },
    ]);
  });

  it('shows the panel’s notices as Figma notifications', async () => {
    const figma = start();

    await figma.ui.receive({ type: 'notify', message: 'Your token has expired', error: true });
    await figma.ui.receive({ type: 'notify', message: 'Generation cancelled', error: false });

    expect(figma.notifications).toEqual([
      { message: 'Your token has expired', error: true },
      { message: 'Generation cancelled', error: false },
    ]);
  });

  it('tells the designer when a sign-in cannot be kept', async () => {
    const figma = start();
    vi.spyOn(figma.clientStorage, 'setAsync').mockRejectedValue(new Error('Client storage is full'));

    await figma.ui.receive({ type: 'save-settings', apiUrl: 'http://localhost:3000', token: 'bag_new' });

    expect(figma.notifications).toEqual([{ message: 'Brand Asset Generator: Client storage is full', error: true }]);
  });

  it('ignores messages that fail the guard, and logs only the first', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const figma = start();
    figma.clientStorage.values.set('token', 'bag_kept');

    await figma.ui.receive({ type: 'save-settings', apiUrl: 'https://evil.example' });
    await figma.ui.receive({ type: 'place', images: 'all', name: 'x' });
    await figma.ui.receive('ready');

    expect(figma.clientStorage.values.get('token')).toBe('bag_kept');
    expect(figma.clientStorage.values.has('apiUrl')).toBe(false);
    expect(figma.ui.posted).toEqual([]);
    expect(figma.notifications).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
