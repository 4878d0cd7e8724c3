// A working stand-in for the parts of Figma's `figma` global that the main thread uses
// (see ../figma-port.ts), for the unit tests and for the browser test's host page.
// It keeps real state (a page of layers, a selection, stored settings, images by hash)
// and behaves as Figma does where the main thread depends on it: new rectangles land on
// the current page, createImage rejects what Figma rejects, setting the selection fires
// 'selectionchange'. Only plain JavaScript is used, so esbuild can bundle it for a browser.

import { MAX_IMAGE_SIDE, type MainToUi } from '../../messages';
import type { FigmaPort, PortNode, PortRectangle } from '../figma-port';

export type FakeNodeInit = {
  type?: SceneNode['type'];
  name?: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  /** Defaults to Figma's fill for the type; layers of types without fills never get any. */
  fills?: ReadonlyArray<Paint>;
};

// Figma's default fills: grey #D9D9D9 for a new shape, white for a frame.
const SHAPE_FILL: SolidPaint = { type: 'SOLID', color: { r: 217 / 255, g: 217 / 255, b: 217 / 255 } };
const FRAME_FILL: SolidPaint = { type: 'SOLID', color: { r: 1, g: 1, b: 1 } };
const WITHOUT_FILLS: ReadonlySet<SceneNode['type']> = new Set<SceneNode['type']>(['GROUP', 'SLICE', 'CONNECTOR']);

function defaultFills(type: SceneNode['type']): ReadonlyArray<Paint> {
  const frameLike = type === 'FRAME' || type === 'COMPONENT' || type === 'INSTANCE' || type === 'SECTION';
  return frameLike ? [FRAME_FILL] : [SHAPE_FILL];
}

export class FakeNode implements PortNode {
  readonly type: SceneNode['type'];
  name: string;
  x: number;
  y: number;
  fills?: ReadonlyArray<Paint> | symbol;
  parent: FakeNode | null = null;
  readonly children: FakeNode[] = [];
  private size: { width: number; height: number };

  constructor(init: FakeNodeInit = {}) {
    this.type = init.type ?? 'RECTANGLE';
    this.name = init.name ?? 'Rectangle';
    this.x = init.x ?? 0;
    this.y = init.y ?? 0;
    this.size = { width: init.width ?? 100, height: init.height ?? 100 };
    if (!WITHOUT_FILLS.has(this.type)) this.fills = init.fills ?? defaultFills(this.type);
  }

  get width(): number {
    return this.size.width;
  }

  get height(): number {
    return this.size.height;
  }

  /** x and y are relative to the parent layer, as in Figma; this is the page position. */
  get absoluteBoundingBox(): Rect {
    const offset = this.parent ? this.parent.absoluteBoundingBox : { x: 0, y: 0 };
    return { x: offset.x + this.x, y: offset.y + this.y, width: this.width, height: this.height };
  }

  resize(width: number, height: number): void {
    // Figma's own limits: below 0.01 it throws, so the fake does too.
    if (!(width >= 0.01 && height >= 0.01)) throw new Error(`Cannot resize to ${width} × ${height}`);
    this.size = { width, height };
  }
}

export class FakeRectangle extends FakeNode implements PortRectangle {
  declare fills: ReadonlyArray<Paint> | symbol;

  constructor(init: Omit<FakeNodeInit, 'type'> = {}) {
    super({ ...init, type: 'RECTANGLE' });
  }
}

export class FakePage {
  readonly children: FakeNode[] = [];
  private selected: ReadonlyArray<FakeNode> = [];

  constructor(private readonly selectionChanged: () => void) {}

  get selection(): ReadonlyArray<FakeNode> {
    return this.selected;
  }

  set selection(nodes: ReadonlyArray<FakeNode>) {
    this.selected = [...new Set(nodes)];
    this.selectionChanged();
  }

  appendChild(child: FakeNode): void {
    const siblings = child.parent ? child.parent.children : this.children;
    const at = siblings.indexOf(child);
    if (at >= 0) siblings.splice(at, 1);
    child.parent = null;
    this.children.push(child);
  }

  /** Every layer on the page, nested ones included. */
  allNodes(): FakeNode[] {
    const walk = (nodes: ReadonlyArray<FakeNode>): FakeNode[] =>
      nodes.flatMap((node) => [node, ...walk(node.children)]);
    return walk(this.children);
  }
}

export class FakeClientStorage {
  /** What is stored, by key; tests may seed or read it directly. */
  readonly values = new Map<string, unknown>();

  async getAsync(key: string): Promise<unknown> {
    return this.values.get(key);
  }

  async setAsync(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }

  async deleteAsync(key: string): Promise<void> {
    this.values.delete(key);
  }

  async keysAsync(): Promise<string[]> {
    return [...this.values.keys()];
  }
}

export class FakeViewport {
  center: Vector = { x: 0, y: 0 };
  /** Each call of scrollAndZoomIntoView, with the layers it was given. */
  readonly scrolledTo: ReadonlyArray<FakeNode>[] = [];

  scrollAndZoomIntoView(nodes: ReadonlyArray<FakeNode>): void {
    this.scrolledTo.push([...nodes]);
  }
}

type Listener = (message: unknown) => void;

export class FakeUi {
  onmessage: MessageEventHandler | undefined = undefined;
  /** Everything the main thread posted to the panel, oldest first. */
  readonly posted: unknown[] = [];
  private readonly listeners = new Set<Listener>();

  postMessage(message: unknown): void {
    this.posted.push(message);
    for (const listener of this.listeners) listener(message);
  }

  /** Calls `listener` with each message the main thread posts from now on; returns an unsubscribe. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers a message from the panel, then waits until the main thread's work on it has settled. */
  async receive(message: unknown): Promise<void> {
    if (!this.onmessage) throw new Error('The main thread has not set figma.ui.onmessage');
    this.onmessage(message, { origin: 'null' });
    await settle();
  }

  /** The posted messages of one type. */
  messagesOfType<T extends MainToUi['type']>(type: T): Extract<MainToUi, { type: T }>[] {
    return this.posted.filter(
      (message): message is Extract<MainToUi, { type: T }> =>
        typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type,
    );
  }
}

export type Notification = { message: string; error: boolean };

export class FakeFigma implements FigmaPort<FakeNode, FakeRectangle> {
  readonly ui = new FakeUi();
  readonly clientStorage = new FakeClientStorage();
  readonly viewport = new FakeViewport();
  readonly currentPage = new FakePage(() => this.emit('selectionchange'));
  /** Images handed to createImage, by the hash it returned. */
  readonly images = new Map<string, Uint8Array>();
  readonly notifications: Notification[] = [];
  shownUi: { html: string; options: ShowUIOptions | undefined } | null = null;
  createImageCalls = 0;
  private readonly handlers = new Map<string, Array<() => void>>();

  showUI(html: string, options?: ShowUIOptions): void {
    this.shownUi = { html, options };
  }

  notify(message: string, options?: NotificationOptions): NotificationHandler {
    this.notifications.push({ message, error: options?.error ?? false });
    return { cancel: () => undefined };
  }

  on(type: 'selectionchange', callback: () => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), callback]);
  }

  /** Like Figma, a new rectangle is 100 × 100, grey, and already on the current page. */
  createRectangle(): FakeRectangle {
    const rectangle = new FakeRectangle();
    this.currentPage.appendChild(rectangle);
    return rectangle;
  }

  createImage(data: Uint8Array): { readonly hash: string } {
    this.createImageCalls += 1;
    if (!isSupportedImage(data)) throw new Error('Image type is unsupported');
    const size = pngSize(data);
    if (size && (size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE)) {
      throw new Error('Image is too large');
    }
    const hash = hashBytes(data);
    this.images.set(hash, data);
    return { hash };
  }

  /** Adds a layer to the page, or inside `parent`, as a designer would draw it. */
  addNode(init: FakeNodeInit, parent?: FakeNode): FakeNode {
    const node = new FakeNode(init);
    if (parent) {
      node.parent = parent;
      parent.children.push(node);
    } else {
      this.currentPage.appendChild(node);
    }
    return node;
  }

  /** The designer selects these layers. */
  select(...nodes: FakeNode[]): void {
    this.currentPage.selection = nodes;
  }

  private emit(type: string): void {
    // Figma tells plugins about changes after the change, never in the middle of a call.
    const callbacks = this.handlers.get(type) ?? [];
    void Promise.resolve().then(() => callbacks.forEach((callback) => callback()));
  }
}

/** Waits for pending promise callbacks and timers of zero delay to run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const SIGNATURES: ReadonlyArray<ReadonlyArray<number>> = [
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
];

function isSupportedImage(data: Uint8Array): boolean {
  return SIGNATURES.some((signature) => signature.every((byte, index) => data[index] === byte));
}

/** Width and height from a PNG's header (IHDR), or null for other formats. */
function pngSize(data: Uint8Array): { width: number; height: number } | null {
  if (data.length < 24 || data[0] !== 0x89) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

// FNV-1a: enough to give equal bytes equal hashes, as Figma does, without Node's crypto.
function hashBytes(data: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of data) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return `${hash.toString(16).padStart(8, '0')}${data.length.toString(16).padStart(8, '0')}`;
}

/** The start of a PNG file (signature and header) declaring this size: enough for createImage. */
export function pngHeader(width: number, height: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set(SIGNATURES[0] as number[], 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, 13); // IHDR length
  bytes.set([0x49, 0x48, 0x44, 0x52], 12); // "IHDR"
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 6, 0, 0, 0], 24); // 8-bit RGBA, no interlace
  view.setUint32(29, seed); // stands in for the CRC; lets tests make distinct images of one size
  return bytes;
}
