import { useState, type CSSProperties, type ReactNode } from 'react';
import { ImageFacts } from '@/components/ImageFacts';
import type { Job } from '../api/get-job';
import type { Image } from './image-order';
import { imageAlt, thumbnailWidth } from './status-text';
import styles from './JobImages.module.css';

/** What the page adds under an image (review actions); `n` is its place as shown, from 1; `large` in the large view. */
export type ImageExtras = (image: Image, n: number, large: boolean) => ReactNode;

/** A tile's shape before anything is in it: the job's own width and height. */
const shape = (width: number, height: number): CSSProperties => ({ aspectRatio: `${width} / ${height}` });

/**
 * Where a job's images will appear, one tile each (num_images of them) in the job's aspect ratio,
 * so nothing moves when they arrive. Each shimmers while the job waits and fills with the steps
 * while it renders (`progress`: 0 to 1, null before). The status region says the same in words,
 * so the tiles are hidden from screen readers.
 */
export function PlaceholderTiles({ job, progress }: { job: Job; progress: number | null }) {
  return (
    <ul className={styles.grid} aria-hidden="true" data-placeholders="">
      {Array.from({ length: job.num_images }, (_, i) => (
        <li key={i} className={styles.tile}>
          <div className={`${styles.frame} ${styles.pending}`} style={shape(job.width, job.height)} data-placeholder="">
            {progress !== null ? (
              <span className={styles.fill} style={{ transform: `scaleX(${Math.min(1, Math.max(0, progress))})` }} />
            ) : null}
          </div>
          {/* Holds the height of the download link that comes with the image. */}
          <span className={`button button--small ${styles.download} ${styles.spacer}`}>Download image {i + 1}</span>
        </li>
      ))}
    </ul>
  );
}

type GridProps = { job: Job; images: Image[]; onOpen: (index: number) => void; extras?: ImageExtras };

/** The finished images; each tile shows its placeholder until its image has loaded. */
export function ImageGrid({ job, images, onOpen, extras }: GridProps) {
  return (
    <ul className={styles.grid} aria-label="Images">
      {images.map((image, i) => (
        <ImageTile
          key={image.index}
          image={image}
          alt={imageAlt(i + 1, images.length, job.prompt)}
          n={i + 1}
          onOpen={() => onOpen(i)}
        >
          <ImageFacts image={image} />
          {extras?.(image, i + 1, false)}
        </ImageTile>
      ))}
    </ul>
  );
}

type TileProps = { image: Image; alt: string; n: number; onOpen: () => void; children?: ReactNode };

function ImageTile({ image, alt, n, onOpen, children }: TileProps) {
  const [loaded, setLoaded] = useState(false);
  return (
    <li className={styles.tile}>
      <button
        type="button"
        className={`${styles.frame} ${styles.thumb} ${loaded ? '' : styles.pending}`}
        style={shape(image.width, image.height)}
        data-loaded={loaded ? '' : undefined}
        onClick={onOpen}
      >
        <img
          src={image.thumbnail_url}
          // The WebP copy (512 px on its longest side) fills a grid cell on most screens;
          // sharp screens take the PNG.
          srcSet={`${image.thumbnail_url} ${thumbnailWidth(image.width, image.height)}w, ${image.url} ${image.width}w`}
          sizes="(max-width: 40rem) 50vw, 18rem"
          alt={alt}
          width={image.width}
          height={image.height}
          loading="lazy"
          decoding="async"
          className={loaded ? styles.shown : styles.loading}
          onLoad={() => setLoaded(true)}
          // A broken image shows its alt text rather than an endless placeholder.
          onError={() => setLoaded(true)}
        />
      </button>
      {/* Every link is used as the API gives it: a storage SAS link's signature covers its
          whole query, so one cannot be made from another by adding a parameter. */}
      <a className={`button button--small ${styles.download}`} href={image.download_url}>
        Download image {n}
      </a>
      {children}
    </li>
  );
}
