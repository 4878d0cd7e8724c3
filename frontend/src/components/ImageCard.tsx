import type { ReactNode } from 'react';
import type { components } from '@/api/schema';
import { styleWithVersion } from '@/lib/format';
import { smallThumbnailWidth, thumbnailWidth } from '@/lib/thumbnails';
import { ImageFacts } from './ImageFacts';
import styles from './ImageCard.module.css';

export type LibraryImage = components['schemas']['LibraryImage'];

/**
 * One image outside its job (the Approved library, the reviewers' queue): the picture in its own
 * shape, what it was made from and with, what is known about it, a download link, and `children`
 * (a page's actions).
 */
export function ImageCard({ image, children }: { image: LibraryImage; children?: ReactNode }) {
  const style = styleWithVersion(image.style, image.style_version);
  return (
    <li className={styles.card} data-job-id={image.job_id} data-index={image.index}>
      <div className={styles.frame} style={{ aspectRatio: `${image.width} / ${image.height}` }}>
        <img
          src={image.thumbnail_url}
          srcSet={`${image.small_thumbnail_url} ${smallThumbnailWidth(image.width, image.height)}w, ${image.thumbnail_url} ${thumbnailWidth(image.width, image.height)}w`}
          sizes="(max-width: 40rem) 50vw, 16rem"
          alt={image.prompt}
          width={image.width}
          height={image.height}
          loading="lazy"
          decoding="async"
        />
      </div>
      <p className={styles.prompt}>{image.prompt}</p>
      <p className={styles.details}>{[style, image.model, `${image.width} × ${image.height}`].filter(Boolean).join(' · ')}</p>
      <ImageFacts image={image} />
      <a className={`button button--small ${styles.download}`} href={image.download_url}>
        Download <span className="visually-hidden">{image.prompt}</span>
      </a>
      {children}
    </li>
  );
}
