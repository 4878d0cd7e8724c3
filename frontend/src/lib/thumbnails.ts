/** The server's WebP copies are at most this many pixels on their longest side. */
export const THUMBNAIL_MAX = 512;
/** The server's small WebP copies are at most this many pixels on their longest side. */
export const SMALL_THUMBNAIL_MAX = 160;

function fitWidth(max: number, width: number, height: number): number {
  return Math.min(width, Math.round((max * width) / Math.max(width, height)));
}

/** The real width of an image's WebP copy (for its srcset `w` descriptor): never wider than the image. */
export function thumbnailWidth(width: number, height: number): number {
  return fitWidth(THUMBNAIL_MAX, width, height);
}

/** The real width of an image's small WebP copy, likewise. */
export function smallThumbnailWidth(width: number, height: number): number {
  return fitWidth(SMALL_THUMBNAIL_MAX, width, height);
}
