import { useRef, type KeyboardEvent } from 'react';
import { Dialog } from '@/components/Dialog';
import type { Job } from '../api/get-job';
import { imageAlt } from './status-text';
import styles from './ImageViewer.module.css';

type Props = {
  job: Job;
  index: number;
  onIndexChange: (index: number) => void;
  onClose: () => void;
};

/** One image large, in a dialog: arrow keys step through the job's images, Escape closes. */
export function ImageViewer({ job, index, onIndexChange, onClose }: Props) {
  const closeRef = useRef<HTMLButtonElement>(null);
  const count = job.images?.length ?? 0;
  const image = job.images?.[index];
  if (!image) return null;

  const go = (delta: number) => onIndexChange((index + delta + count) % count);
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'ArrowRight') {
      event.preventDefault();
      go(1);
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      go(-1);
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
        {count > 1 ? <span className={styles.keys}> · ← → to browse</span> : null}
      </p>
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
        <a className="button" href={image.download_url}>
          Download
        </a>
        <button ref={closeRef} type="button" className="button button--primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
