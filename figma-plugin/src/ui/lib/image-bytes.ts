import type { JobImage } from '../api/client';
import type { PlaceImage } from '../../messages';

/**
 * The full PNG of each image, to hand to the main thread (which cannot fetch). The links are
 * signed, so no token goes with them; the API answers them with `Access-Control-Allow-Origin: *`
 * for the plugin iframe's null origin.
 */
export async function fetchImages(images: JobImage[], apiUrl: string): Promise<PlaceImage[]> {
  return Promise.all(
    images.map(async (image) => {
      const response = await fetch(new URL(image.url, `${apiUrl}/`), { credentials: 'omit' });
      if (!response.ok) {
        throw new Error(
          response.status === 403 || response.status === 404
            ? 'The image link has expired. Open the job again from Recent to get a fresh one.'
            : `The image could not be downloaded (the server answered ${response.status}).`,
        );
      }
      return { bytes: new Uint8Array(await response.arrayBuffer()), width: image.width, height: image.height };
    }),
  );
}
