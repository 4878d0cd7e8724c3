import type { Job } from '../api/get-job';

export type Image = NonNullable<Job['images']>[number];
export type ImageOrder = 'made' | 'brand';

/**
 * A job's images in the order asked for: as made (by index), or most on-brand first. Images with
 * no score go last; equal scores keep the order they were made in.
 */
export function orderImages(images: readonly Image[], order: ImageOrder): Image[] {
  const byIndex = [...images].sort((a, b) => a.index - b.index);
  if (order === 'made') return byIndex;
  const score = (image: Image) => image.brand?.score ?? -1;
  return byIndex.sort((a, b) => score(b) - score(a));
}
