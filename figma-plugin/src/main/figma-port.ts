// The parts of Figma's plugin API (the `figma` global) that the main thread uses,
// cut from @figma/plugin-typings. The main thread is written against this port rather
// than the whole `PluginAPI`, so that the typed fake in ./testing can stand in for it in
// tests and in the browser test's host page; code.ts hands it the real `figma`, which
// the compiler checks still fits.

/** A selected layer, as far as the main thread reads it. */
export type PortNode = {
  readonly type: SceneNode['type'];
  readonly width: number;
  readonly height: number;
  /** Position on the page; null for layers without bounds. */
  readonly absoluteBoundingBox: Rect | null;
  /** Present on layers that have fills; `figma.mixed` on text with several fills. */
  fills?: ReadonlyArray<Paint> | symbol;
};

/** A rectangle the main thread creates to carry an image. */
export type PortRectangle = PortNode & {
  name: string;
  x: number;
  y: number;
  fills: ReadonlyArray<Paint> | symbol;
  resize(width: number, height: number): void;
};

/**
 * `Node` is the kind of layer a selection holds and `Rectangle` what createRectangle makes:
 * `SceneNode` and `RectangleNode` in Figma, the fake's own classes in tests.
 */
export type FigmaPort<
  Node extends PortNode = PortNode,
  Rectangle extends PortRectangle & Node = PortRectangle & Node,
> = Pick<PluginAPI, 'showUI' | 'notify'> & {
  readonly ui: Pick<UIAPI, 'postMessage' | 'onmessage'>;
  readonly clientStorage: Pick<ClientStorageAPI, 'getAsync' | 'setAsync' | 'deleteAsync'>;
  readonly viewport: {
    readonly center: Vector;
    scrollAndZoomIntoView(nodes: ReadonlyArray<Rectangle>): void;
  };
  readonly currentPage: {
    selection: ReadonlyArray<Node>;
    appendChild(child: Rectangle): void;
  };
  createRectangle(): Rectangle;
  createImage(data: Uint8Array): Pick<Image, 'hash'>;
  on(type: 'selectionchange', callback: () => void): void;
};
