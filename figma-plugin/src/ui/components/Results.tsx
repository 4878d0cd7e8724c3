import { useEffect, useRef } from 'react';
import type { Job } from '../api/client';
import type { usePlacer } from '../hooks/use-placer';

type Props = {
  job: Job;
  placer: ReturnType<typeof usePlacer>;
  /** Smaller thumbnails (the Recent list). */
  compact?: boolean;
  /** Scroll the images into view when they appear (a job just finished below the form). */
  reveal?: boolean;
};

/** A job's images as thumbnails; each places its full image, "Place all" places every one. */
export function Results({ job, placer, compact = false, reveal = false }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (reveal) ref.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [reveal]);
  const busy = placer.status.state === 'busy';
  const images = job.images ?? [];
  const total = images.length;
  return (
    <div className="results" ref={ref}>
      {compact ? null : <p className="hint">Click an image to fill the selected shapes with it, or to add it to the page.</p>}
      <div className={`thumbs${compact ? ' thumbs--compact' : ''}`}>
        {images.map((image, i) => (
          <button
            key={image.index}
            type="button"
            className="thumb"
            disabled={busy}
            aria-label={`Place image ${i + 1} of ${total}`}
            title={`Place image ${i + 1} (${image.width} × ${image.height})`}
            onClick={() => void placer.place([image], job.prompt)}
          >
            <img
              src={compact ? image.small_thumbnail_url : image.thumbnail_url}
              alt=""
              style={{ aspectRatio: `${image.width} / ${image.height}` }}
            />
          </button>
        ))}
      </div>
      {total > 1 ? (
        <button
          type="button"
          className="button"
          disabled={busy}
          aria-label={compact ? `Place all ${total} images: ${job.prompt}` : undefined}
          onClick={() => void placer.place(images, job.prompt)}
        >
          Place all
        </button>
      ) : null}
    </div>
  );
}
