import { useRef, type KeyboardEvent } from 'react';
import { Dialog } from '@/components/Dialog';
import { ImageFacts } from '@/components/ImageFacts';
import { useTouchOnly } from '@/hooks/use-media-query';
import type { Job } from '../api/get-job';
import type { ImageExtras } from './JobImages';
import { imageAlt } from './status-text';
import styles from './ImageViewer.module.css';

type Props = {
  job: Job;
  index: number;
  onIndexChange: (index: number) => void;
  onClose: () => void;
  /** What the page adds under the image (review actions). */
  extras?: ImageExtras;
};

/**
 * One image large, in a dialog: ← and → step through the job's images, D downloads the one shown,
 * Escape closes (the Dialog keeps focus inside and puts it back on closing).
 */
export function ImageViewer({ job, index, onIndexChange, onClose, extras }: Props) {
  const closeRef = useRef<HTMLButtonElement>(null);
  const downloadRef = useRef<HTMLAnchorElement>(null);
  const touchOnly = useTouchOnly();
  const count = job.images?.length ?? 0;
  const image = job.images?.[index];
  if (!image) return null;

  const go = (delta: number) => onIndexChange((index + delta + count) % count);
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    // Ctrl+D and the like belong to the browser.
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // Typing a review comment is not browsing or downloading.
    if (event.target instanceof Element && event.target.closest('input, textarea, select')) return;
    if (event.key === 'ArrowRight' && count > 1) {
      event.preventDefault();
      go(1);
    } else if (event.key === 'ArrowLeft' && count > 1) {
      event.preventDefault();
      go(-1);
    } else if (event.key === 'd' || event.key === 'D') {
      event.preventDefault();
      // The same link as the Download button: the API's download_url, saved by the browser.
      downloadRef.current?.click();
    }
  }

  return (
    <Dialog title={`Image ${index + 1} of ${count}`} onClose={onClose} initialFocus={closeRef} onKeyDown={onKeyDown} size="large">
      <div className={styles.frame}>
        <img
          src={image.url}
          alt={imageAlt(index + 1, count, job.prompt)}
          width={image.width}
          height={image.height}
          className={styles.image}
        />
      </div>
      <p className={styles.meta}>
        {image.width} × {image.height} · seed {image.seed}
      </p>
      {touchOnly ? null : (
        <p className={styles.keys}>
          Keys: {count > 1 ? (
            <>
              <kbd>←</kbd> <kbd>→</kbd> browse ·{' '}
            </>
          ) : null}
          <kbd>D</kbd> download · <kbd>Esc</kbd> close
        </p>
      )}
      <div className={styles.actions}>
        {count > 1 ? (
          <>
            <button type="button" className="button" onClick={() => go(-1)}>
              Previous image
            </button>
            <button type="button" className="button" onClick={() => go(1)}>
              Next image
            </button>
          </>
        ) : null}
        <a ref={downloadRef} className="button" href={image.download_url}>
          Download
        </a>
        <button ref={closeRef} type="button" className="button button--primary" onClick={onClose}>
          Close
        </button>
      </div>
      {/* Below the actions, so browsing and closing stay in sight on a short screen. */}
      <ImageFacts image={image} large />
      {extras?.(image, index + 1, true)}
    </Dialog>
  );
}
