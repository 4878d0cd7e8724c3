import { MAX_IMAGE_SIDE, type PlaceImage } from '../messages';
import type { FigmaPort, PortNode, PortRectangle } from './figma-port';
import { fillableNodes, selectionBounds, type FillableNode } from './selection';

/** Space between new rectangles, and between the selection and the first of them. */
export const GAP = 24;

const DEFAULT_NAME = 'Brand asset';

export type PlaceResult =
  | { ok: true; count: number; into: 'selection' | 'new' }
  | { ok: false; message: string };

/**
 * Puts the images on the canvas: as cover-fitted fills of the selected shapes and frames
 * when any are selected (the images taken in turn), otherwise as new rectangles of each
 * image's size. `count` is the number of layers that received an image.
 * Every image is checked and handed to Figma before the document is touched, so a
 * refusal leaves nothing half placed.
 */
export function placeImages<N extends PortNode, R extends PortRectangle & N>(
  figma: FigmaPort<N, R>,
  images: ReadonlyArray<PlaceImage>,
  name: string,
): PlaceResult {
  if (images.length === 0) return { ok: false, message: 'There was no image to place.' };
  const targets = fillableNodes(figma.currentPage.selection);
  // Filling three frames uses at most three images; the rest are not placed, so not checked.
  const used = targets.length > 0 ? images.slice(0, targets.length) : images;

  const oversized = used.find((image) => image.width > MAX_IMAGE_SIDE || image.height > MAX_IMAGE_SIDE);
  if (oversized) {
    return {
      ok: false,
      message:
        `The image is ${oversized.width} × ${oversized.height} px; Figma takes images up to ` +
        `${MAX_IMAGE_SIDE} px a side. Nothing was placed.`,
    };
  }

  let hashes: string[];
  try {
    hashes = used.map((image) => figma.createImage(image.bytes).hash);
  } catch (error) {
    return { ok: false, message: `Figma could not read the image (${reason(error)}). Nothing was placed.` };
  }

  if (targets.length > 0) {
    fillTargets(targets, hashes);
    return { ok: true, count: targets.length, into: 'selection' };
  }
  const created = createRectangles(figma, used, hashes, name);
  return { ok: true, count: created.length, into: 'new' };
}

function imageFill(imageHash: string): ImagePaint {
  return { type: 'IMAGE', imageHash, scaleMode: 'FILL' };
}

function fillTargets(targets: ReadonlyArray<FillableNode>, hashes: ReadonlyArray<string>): void {
  targets.forEach((node, index) => {
    node.fills = [imageFill(hashes[index % hashes.length] as string)];
  });
}

function createRectangles<N extends PortNode, R extends PortRectangle & N>(
  figma: FigmaPort<N, R>,
  images: ReadonlyArray<PlaceImage>,
  hashes: ReadonlyArray<string>,
  name: string,
): R[] {
  const origin = rowOrigin(figma, images);
  const layerName = name.trim() || DEFAULT_NAME;
  let x = origin.x;
  const nodes = images.map((image, index) => {
    const rectangle = figma.createRectangle();
    rectangle.resize(image.width, image.height);
    rectangle.name = layerName;
    rectangle.fills = [imageFill(hashes[index] as string)];
    rectangle.x = x;
    rectangle.y = origin.y;
    figma.currentPage.appendChild(rectangle);
    x += image.width + GAP;
    return rectangle;
  });
  figma.currentPage.selection = nodes;
  figma.viewport.scrollAndZoomIntoView(nodes);
  return nodes;
}

/** Top-left corner of the row: beside the selection, or centred in the viewport. */
function rowOrigin<N extends PortNode>(
  figma: FigmaPort<N>,
  images: ReadonlyArray<PlaceImage>,
): { x: number; y: number } {
  const bounds = selectionBounds(figma.currentPage.selection);
  if (bounds) return { x: Math.round(bounds.right + GAP), y: Math.round(bounds.top) };
  const rowWidth = images.reduce((sum, image) => sum + image.width, 0) + GAP * (images.length - 1);
  const rowHeight = Math.max(...images.map((image) => image.height));
  const { center } = figma.viewport;
  return { x: Math.round(center.x - rowWidth / 2), y: Math.round(center.y - rowHeight / 2) };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
