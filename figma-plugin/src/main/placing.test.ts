// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { PlaceImage } from '../messages';
import { placeImages } from './placing';
import { runPlugin } from './plugin';
import { FakeFigma, type FakeNode, pngHeader } from './testing/fake-figma';

function start(): FakeFigma {
  const figma = new FakeFigma();
  runPlugin(figma, '');
  return figma;
}

function image(width: number, height: number, seed = 0): PlaceImage {
  return { bytes: pngHeader(width, height, seed), width, height };
}

/** The bytes of the image a layer is filled with, checking it is one cover-fitted image fill. */
function filledWith(figma: FakeFigma, node: FakeNode): Uint8Array | undefined {
  expect(node.fills).toEqual([{ type: 'IMAGE', imageHash: expect.any(String), scaleMode: 'FILL' }]);
  const [paint] = node.fills as ImagePaint[];
  return figma.images.get(paint?.imageHash ?? '');
}

function boxes(nodes: ReadonlyArray<FakeNode>) {
  return nodes.map((node) => node.absoluteBoundingBox);
}

describe('placing into the selection', () => {
  it('fills each selected frame and shape with a cover-fitted image, taking the images in turn', async () => {
    const figma = start();
    const frame = figma.addNode({ type: 'FRAME', width: 1200, height: 628 });
    const ellipse = figma.addNode({ type: 'ELLIPSE', width: 300, height: 300 });
    const star = figma.addNode({ type: 'STAR', width: 120, height: 120 });
    figma.select(frame, ellipse, star);
    const [first, second] = [image(1024, 1024, 1), image(1024, 1024, 2)];
    const layersBefore = figma.currentPage.allNodes().length;

    await figma.ui.receive({ type: 'place', images: [first, second], name: 'Sunset over dunes' });

    expect(filledWith(figma, frame)).toBe(first?.bytes);
    expect(filledWith(figma, ellipse)).toBe(second?.bytes);
    expect(filledWith(figma, star)).toBe(first?.bytes);
    expect(figma.currentPage.allNodes()).toHaveLength(layersBefore);
    expect(figma.ui.messagesOfType('placed')).toEqual([{ type: 'placed', count: 3, into: 'selection' }]);
    expect(figma.notifications).toEqual([{ message: 'Placed 3 images in the selected layers', error: false }]);
  });

  it('uses only as many images as there are selected layers', async () => {
    const figma = start();
    const frame = figma.addNode({ type: 'FRAME', width: 400, height: 400 });
    figma.select(frame);
    const images = [image(512, 512, 1), image(512, 512, 2), image(8192, 8192, 3)];

    await figma.ui.receive({ type: 'place', images, name: 'Logo backdrop' });

    // The third image is never used, so its size (over Figma's limit) does not stop the first.
    expect(filledWith(figma, frame)).toBe(images[0]?.bytes);
    expect(figma.createImageCalls).toBe(1);
    expect(figma.ui.messagesOfType('placed')).toEqual([{ type: 'placed', count: 1, into: 'selection' }]);
    expect(figma.notifications).toEqual([{ message: 'Placed the image in the selected layer', error: false }]);
  });

  it('fills the image-taking layers of a mixed selection and leaves text and groups alone', async () => {
    const figma = start();
    const text = figma.addNode({ type: 'TEXT', width: 200, height: 40 });
    const group = figma.addNode({ type: 'GROUP', width: 300, height: 300 });
    const rectangle = figma.addNode({ type: 'RECTANGLE', width: 100, height: 50 });
    const textFills = text.fills;
    figma.select(text, group, rectangle);

    await figma.ui.receive({ type: 'place', images: [image(640, 320)], name: 'Banner' });

    expect(filledWith(figma, rectangle)).toBeDefined();
    expect(text.fills).toBe(textFills);
    expect(group.fills).toBeUndefined();
    expect(figma.ui.messagesOfType('placed')).toEqual([{ type: 'placed', count: 1, into: 'selection' }]);
  });
});

describe('placing as new rectangles', () => {
  it('centres a row of rectangles of the images’ sizes in the viewport, 24 px apart, named after the prompt', async () => {
    const figma = start();
    figma.viewport.center = { x: 500, y: 300 };
    const images = [image(1024, 1024, 1), image(768, 1344, 2)];

    await figma.ui.receive({ type: 'place', images, name: 'Sunset over dunes' });

    const created = figma.currentPage.children;
    expect(created.map((node) => [node.type, node.name])).toEqual([
      ['RECTANGLE', 'Sunset over dunes'],
      ['RECTANGLE', 'Sunset over dunes'],
    ]);
    // Row: 1024 + 24 + 768 = 1816 wide, 1344 high, centred on (500, 300).
    expect(boxes(created)).toEqual([
      { x: -408, y: -372, width: 1024, height: 1024 },
      { x: 640, y: -372, width: 768, height: 1344 },
    ]);
    expect(filledWith(figma, created[0] as FakeNode)).toBe(images[0]?.bytes);
    expect(filledWith(figma, created[1] as FakeNode)).toBe(images[1]?.bytes);
    expect(figma.currentPage.selection).toEqual(created);
    expect(figma.viewport.scrolledTo).toEqual([created]);
    expect(figma.ui.messagesOfType('placed')).toEqual([{ type: 'placed', count: 2, into: 'new' }]);
    expect(figma.notifications).toEqual([{ message: 'Placed 2 images', error: false }]);
  });

  it('puts the row to the right of a selection that takes no image, aligned with its top', async () => {
    const figma = start();
    const group = figma.addNode({ type: 'GROUP', x: 100, y: 50, width: 300, height: 200 });
    const text = figma.addNode({ type: 'TEXT', x: 20, y: 400, width: 500, height: 40 });
    figma.select(group, text);

    await figma.ui.receive({ type: 'place', images: [image(256, 256, 1), image(256, 256, 2)], name: 'Icon' });

    const created = figma.currentPage.children.slice(2);
    expect(boxes(created)).toEqual([
      { x: 544, y: 50, width: 256, height: 256 },
      { x: 824, y: 50, width: 256, height: 256 },
    ]);
    expect(figma.currentPage.selection).toEqual(created);
  });

  it('measures a nested selection by its position on the page', async () => {
    const figma = start();
    const frame = figma.addNode({ type: 'FRAME', x: 1000, y: 2000, width: 800, height: 800 });
    const group = figma.addNode({ type: 'GROUP', x: 100, y: 100, width: 200, height: 100 }, frame);
    figma.select(group);

    await figma.ui.receive({ type: 'place', images: [image(512, 512)], name: 'Hero' });

    expect(boxes(figma.currentPage.selection)).toEqual([{ x: 1324, y: 2100, width: 512, height: 512 }]);
  });

  it('names the layers “Brand asset” when the prompt is blank', async () => {
    const figma = start();

    await figma.ui.receive({ type: 'place', images: [image(64, 64)], name: '   ' });

    expect(figma.currentPage.children.map((node) => node.name)).toEqual(['Brand asset']);
  });
});

describe('refusing what Figma cannot take', () => {
  it('refuses an image over 4096 px a side with a message and creates nothing', async () => {
    const figma = start();
    figma.viewport.center = { x: 0, y: 0 };

    await figma.ui.receive({ type: 'place', images: [image(1024, 1024), image(4097, 2048)], name: 'Poster' });

    const message = 'The image is 4097 × 2048 px; Figma takes images up to 4096 px a side. Nothing was placed.';
    expect(figma.ui.messagesOfType('place-failed')).toEqual([{ type: 'place-failed', message }]);
    expect(figma.ui.messagesOfType('placed')).toEqual([]);
    expect(figma.notifications).toEqual([{ message, error: true }]);
    expect(figma.createImageCalls).toBe(0);
    expect(figma.currentPage.children).toEqual([]);
    expect(figma.viewport.scrolledTo).toEqual([]);
  });

  it('accepts an image of exactly 4096 px a side', async () => {
    const figma = start();

    await figma.ui.receive({ type: 'place', images: [image(4096, 4096)], name: 'Poster' });

    expect(figma.ui.messagesOfType('placed')).toEqual([{ type: 'placed', count: 1, into: 'new' }]);
  });

  it('refuses for the selection too, leaving its fills as they were', async () => {
    const figma = start();
    const frame = figma.addNode({ type: 'FRAME', width: 400, height: 400 });
    const fills = frame.fills;
    figma.select(frame);

    await figma.ui.receive({ type: 'place', images: [image(2048, 5000)], name: 'Tall' });

    expect(frame.fills).toBe(fills);
    expect(figma.ui.messagesOfType('place-failed')).toHaveLength(1);
  });

  it('reports an image Figma cannot read and places none of the batch', async () => {
    const figma = start();
    const errorPage = Uint8Array.from('<html>Gateway timeout</html>', (char) => char.charCodeAt(0));
    const notAnImage = { bytes: errorPage, width: 512, height: 512 };

    await figma.ui.receive({ type: 'place', images: [image(512, 512), notAnImage], name: 'Broken' });

    const message = 'Figma could not read the image (Image type is unsupported). Nothing was placed.';
    expect(figma.ui.messagesOfType('place-failed')).toEqual([{ type: 'place-failed', message }]);
    expect(figma.notifications).toEqual([{ message, error: true }]);
    expect(figma.currentPage.children).toEqual([]);
    expect(figma.currentPage.selection).toEqual([]);
  });
});

describe('placeImages', () => {
  it('refuses an empty batch without touching the page', () => {
    const figma = new FakeFigma();

    expect(placeImages(figma, [], 'Nothing')).toEqual({ ok: false, message: 'There was no image to place.' });
    expect(figma.currentPage.children).toEqual([]);
    expect(figma.viewport.scrolledTo).toEqual([]);
  });
});
