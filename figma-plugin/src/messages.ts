// The messages between the plugin's panel (UI iframe) and its main thread.
// One discriminated union per direction; each end checks what it receives with the
// guard below, because postMessage carries whatever the other side (or any other
// frame on the host page) sends, and TypeScript's types do not survive that trip.

/** Figma refuses images with a side longer than this (figma.createImage throws). */
export const MAX_IMAGE_SIDE = 4096;

export type SelectionInfo = {
  /** How many nodes are selected. */
  count: number;
  /** Selected nodes that take an image fill (frames, rectangles, ellipses, polygons, stars, vectors...). */
  fillable: number;
  /** The first selected node's size (for the aspect-ratio default); null when nothing is selected. */
  width: number | null;
  height: number | null;
};

export type PlaceImage = { bytes: Uint8Array; width: number; height: number };

export type UiToMain =
  | { type: 'ready' } // the UI has loaded; main answers 'init'
  | { type: 'save-settings'; apiUrl: string; token: string } // sign in: kept in figma.clientStorage
  | { type: 'save-api-url'; apiUrl: string }
  | { type: 'sign-out' } // forget the token (keep the API address)
  | { type: 'place'; images: PlaceImage[]; name: string } // name: the prompt, shortened; images fetched by the UI
  | { type: 'notify'; message: string; error: boolean };

export type MainToUi =
  | { type: 'init'; apiUrl: string | null; token: string | null; selection: SelectionInfo }
  | { type: 'selection'; selection: SelectionInfo } // on every selectionchange
  | { type: 'placed'; count: number; into: 'selection' | 'new' } // count: layers that received an image
  | { type: 'place-failed'; message: string }; // e.g. an image over 4096 px, nothing placed

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isStringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isSizeOrNull(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

// A tag check rather than `instanceof`: bytes cloned across frames are made in the
// receiving realm, and a host page's test harness may hand over another realm's array.
function isBytes(value: unknown): value is Uint8Array {
  return Object.prototype.toString.call(value) === '[object Uint8Array]';
}

function isSelectionInfo(value: unknown): value is SelectionInfo {
  return (
    isRecord(value) &&
    isCount(value.count) &&
    isCount(value.fillable) &&
    value.fillable <= value.count &&
    isSizeOrNull(value.width) &&
    isSizeOrNull(value.height)
  );
}

function isPlaceImage(value: unknown): value is PlaceImage {
  return (
    isRecord(value) &&
    isBytes(value.bytes) &&
    isPositiveInteger(value.width) &&
    isPositiveInteger(value.height)
  );
}

export function isUiToMain(value: unknown): value is UiToMain {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'sign-out':
      return true;
    case 'save-settings':
      return isString(value.apiUrl) && isString(value.token);
    case 'save-api-url':
      return isString(value.apiUrl);
    case 'place':
      return (
        Array.isArray(value.images) &&
        value.images.length > 0 &&
        value.images.every(isPlaceImage) &&
        isString(value.name)
      );
    case 'notify':
      return isString(value.message) && typeof value.error === 'boolean';
    default:
      return false;
  }
}

export function isMainToUi(value: unknown): value is MainToUi {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'init':
      return (
        isStringOrNull(value.apiUrl) &&
        isStringOrNull(value.token) &&
        isSelectionInfo(value.selection)
      );
    case 'selection':
      return isSelectionInfo(value.selection);
    case 'placed':
      return isCount(value.count) && (value.into === 'selection' || value.into === 'new');
    case 'place-failed':
      return isString(value.message);
    default:
      return false;
  }
}
