// The browser test's stand-in for Figma's desktop app: a page that plays the `figma` global with the
// typed fake the unit tests use, and shows the plugin's panel the way Figma does, in a sandboxed
// iframe whose origin is `null` (frontend/e2e/tests/figma-plugin.spec.ts bundles this with esbuild,
// sets `__html__` and then runs the built dist/code.js).
//
// Messages cross as they do in Figma: `figma.ui.postMessage(msg)` reaches the panel as
// `event.data.pluginMessage`, and the panel's `parent.postMessage({ pluginMessage }, '*')` reaches
// `figma.ui.onmessage`.
import { FakeFigma, type FakeNode } from '../src/main/testing/fake-figma';

const figma = new FakeFigma();
// A canvas scrolled somewhere other than the origin, so "centred in the viewport" is visible in the numbers.
figma.viewport.center = { x: 1200, y: 800 };
let panel: HTMLIFrameElement | null = null;

const showUI = figma.showUI.bind(figma);
figma.showUI = (html: string, options?: ShowUIOptions): void => {
  showUI(html, options);
  panel?.remove();
  panel = document.createElement('iframe');
  // Scripts only, the strictest sandbox a panel can run in: no allow-same-origin, so its origin is
  // opaque (`null`) as in Figma, and no allow-forms, so the panel must not rely on native form
  // submission (the browser drops it there).
  panel.setAttribute('sandbox', 'allow-scripts');
  panel.title = 'Brand Asset Generator';
  panel.width = String(options?.width ?? 300);
  panel.height = String(options?.height ?? 200);
  panel.srcdoc = html;
  document.body.append(panel);
};

figma.ui.listen((message) => panel?.contentWindow?.postMessage({ pluginMessage: message }, '*'));

window.addEventListener('message', (event: MessageEvent) => {
  if (!panel || event.source !== panel.contentWindow) return;
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null || !('pluginMessage' in data)) return;
  figma.ui.onmessage?.(data.pluginMessage, { origin: event.origin });
});

function describe(node: FakeNode) {
  const fills = Array.isArray(node.fills) ? (node.fills as ReadonlyArray<Paint>) : [];
  return {
    type: node.type,
    name: node.name,
    x: node.x,
    y: node.y,
    width: node.width,
    height: node.height,
    fills: fills.map((paint) =>
      paint.type === 'IMAGE' ? { type: paint.type, imageHash: paint.imageHash, scaleMode: paint.scaleMode } : { type: paint.type },
    ),
  };
}

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What the test reads and does: plain data only, so it crosses page.evaluate. */
const host = {
  /** Each image handed to createImage: its hash, byte count, whether it is a PNG, and the PNG's own size. */
  images() {
    return [...figma.images].map(([hash, bytes]) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const png = bytes.length >= 24 && signature.every((byte, i) => bytes[i] === byte);
      return {
        hash,
        length: bytes.length,
        png,
        width: png ? view.getUint32(16) : null,
        height: png ? view.getUint32(20) : null,
      };
    });
  },
  layers: () => figma.currentPage.allNodes().map(describe),
  selection: () => figma.currentPage.selection.map((node) => node.name),
  scrolledTo: () => figma.viewport.scrolledTo.map((nodes) => nodes.map((node) => node.name)),
  notifications: () => [...figma.notifications],
  createImageCalls: () => figma.createImageCalls,
  clientStorageKeys: () => [...figma.clientStorage.values.keys()],
  /** The designer draws a frame and selects it. */
  selectNewFrame(name: string, width: number, height: number): void {
    figma.select(figma.addNode({ type: 'FRAME', name, x: 0, y: 0, width, height, fills: [] }));
  },
};

Object.assign(globalThis, { figma, host });

export type Host = typeof host;
