import { useId, useRef, useState } from 'react';
import { DemoLabel } from '@/components/DemoLabel';
import { Dialog } from '@/components/Dialog';
import { ErrorMessage } from '@/components/ErrorMessage';
import { describeError } from '@/lib/errors';
import { nearestAspectRatio, type GenerateBody } from '@/lib/generate-settings';
import { useCancelJob } from '../api/cancel-job';
import { useDeleteJob } from '../api/delete-job';
import { useDownloadJobArchive } from '../api/download-job-archive';
import { isActive, useJob, type JobStatus } from '../api/get-job';
import { ImageViewer } from './ImageViewer';
import { formatTime, imageAlt, STATUS_WORDS, statusDetail, thumbnailWidth } from './status-text';
import styles from './JobView.module.css';

type Props = {
  jobId: string;
  /** Settings to take back to the form ("Generate again", "Same seed"). */
  onReuse: (settings: GenerateBody) => void;
  onDeleted: () => void;
  /** Shown while the first answer is on its way, e.g. 'queued' right after submitting. */
  placeholderStatus?: JobStatus;
};

export const NOT_FOUND_TEXT = 'This job was not found. It may have been deleted, or the link is wrong.';

/** A job from queue to images: status, progress, cancel, the images, and what to do with them. */
export function JobView({ jobId, onReuse, onDeleted, placeholderStatus }: Props) {
  const query = useJob(jobId);
  const job = query.data;
  const [viewing, setViewing] = useState<number | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const cancel = useCancelJob(jobId);
  const remove = useDeleteJob(jobId);
  const archive = useDownloadJobArchive(jobId);
  const keepRef = useRef<HTMLButtonElement>(null);
  const detailsId = useId();

  if (!job && query.error) {
    return <ErrorMessage error={query.error} notFound={NOT_FOUND_TEXT} onRetry={() => void query.refetch()} />;
  }
  // The status region is the same element from the first render on (the others are null until
  // the job arrives), so screen readers announce each change in it. It holds the status word (and,
  // once the job has ended, what came of it): the queue place and the step change on every poll
  // and are shown beside it and in the progress bar, not read out each time.
  if (!job) {
    return (
      <div className={styles.view} aria-busy="true">
        {null}
        {null}
        <div className={styles.statusRow}>
          <div className={styles.statusText}>
            <p role="status" className={styles.status}>
              {placeholderStatus ? (
                <span className={`badge badge--${placeholderStatus}`}>{STATUS_WORDS[placeholderStatus]}</span>
              ) : (
                'Loading the job…'
              )}
            </p>
          </div>
        </div>
      </div>
    );
  }
  const refreshError = query.error;

  const active = isActive(job.status);
  const detail = statusDetail(job);
  const images = [...(job.images ?? [])].sort((a, b) => a.index - b.index);
  const sortedJob = { ...job, images };

  const settings = (seed: number | null): GenerateBody => ({
    prompt: job.prompt,
    style: job.style ?? null,
    model: job.model,
    // The preset the job used; a size that is none (HiDream's own sizes) gets the closest one.
    aspect_ratio: job.aspect_ratio ?? nearestAspectRatio(job.width, job.height),
    num_images: job.num_images,
    seed,
  });

  return (
    <div className={styles.view}>
      <p className={styles.prompt}>{job.prompt}</p>
      {job.demo ? <DemoLabel /> : null}

      <div className={styles.statusRow}>
        <div className={styles.statusText}>
          <p role="status" className={styles.status} data-status={job.status}>
            <span className={`badge badge--${job.status}`}>{STATUS_WORDS[job.status]}</span>
            {!active && detail ? <> <span>{detail}</span></> : null}
          </p>
          {job.status === 'queued' && detail ? <p className={styles.queue}>{detail}</p> : null}
        </div>
        {active ? (
          <button
            type="button"
            className="button"
            onClick={() => cancel.mutate()}
            disabled={cancel.isPending}
          >
            {cancel.isPending ? 'Cancelling…' : 'Cancel job'}
          </button>
        ) : null}
      </div>

      {job.status === 'running' ? (
        <div className={styles.progress}>
          <progress
            aria-label="Progress"
            aria-valuetext={detail ?? undefined}
            max={job.progress?.total || 1}
            value={job.progress ? job.progress.step : undefined}
          />
          <span aria-hidden="true" className={styles.progressText}>
            {detail}
          </span>
        </div>
      ) : null}

      {cancel.error ? (
        <p role="alert" className="field-error">
          {describeError(cancel.error)}
        </p>
      ) : null}
      {refreshError ? (
        <p role="alert" className="field-error">
          Could not refresh this job: {describeError(refreshError)}
        </p>
      ) : null}

      {images.length ? (
        <ul className={styles.grid} aria-label="Images">
          {images.map((image, i) => (
            <li key={image.index} className={styles.tile}>
              <button type="button" className={styles.thumb} onClick={() => setViewing(i)}>
                <img
                  src={image.thumbnail_url}
                  // The WebP copy (512 px on its longest side) fills a grid cell on most screens;
                  // sharp screens take the PNG.
                  srcSet={`${image.thumbnail_url} ${thumbnailWidth(image.width, image.height)}w, ${image.url} ${image.width}w`}
                  sizes="(max-width: 40rem) 50vw, 18rem"
                  alt={imageAlt(i + 1, images.length, job.prompt)}
                  width={image.width}
                  height={image.height}
                  loading="lazy"
                  decoding="async"
                />
              </button>
              {/* Every link is used as the API gives it: a storage SAS link's signature covers its
                  whole query, so one cannot be made from another by adding a parameter. */}
              <a className={`button button--small ${styles.download}`} href={image.download_url}>
                Download image {i + 1}
              </a>
            </li>
          ))}
        </ul>
      ) : null}

      <div className={styles.actions}>
        {job.status === 'complete' && images.length ? (
          <button type="button" className="button button--primary" onClick={() => archive.mutate()} disabled={archive.isPending}>
            {archive.isPending ? 'Preparing zip…' : 'Download all'}
          </button>
        ) : null}
        <button type="button" className="button" onClick={() => onReuse(settings(null))}>
          Generate again
        </button>
        <button type="button" className="button" onClick={() => onReuse(settings(job.seed))}>
          Same seed
        </button>
        <button type="button" className="button button--danger" onClick={() => setConfirmingDelete(true)}>
          Delete job
        </button>
      </div>
      {archive.error ? (
        <p role="alert" className="field-error">
          The zip could not be downloaded: {describeError(archive.error)}
        </p>
      ) : null}

      <details className={styles.details}>
        <summary id={detailsId}>Settings</summary>
        <dl aria-labelledby={detailsId}>
          <dt>Model</dt>
          <dd>{job.model}</dd>
          <dt>Brand style</dt>
          <dd>{job.style ?? 'Default'}</dd>
          <dt>Size</dt>
          <dd>
            {job.width} × {job.height}
          </dd>
          <dt>Seed</dt>
          <dd>{job.seed}</dd>
          <dt>Steps</dt>
          <dd>{job.steps}</dd>
          <dt>Created</dt>
          <dd>
            <time dateTime={job.created_at}>{formatTime(job.created_at)}</time>
          </dd>
          {job.pipeline_ms ? (
            <>
              <dt>Model time</dt>
              <dd>{(job.pipeline_ms / 1000).toFixed(1)} s</dd>
            </>
          ) : null}
        </dl>
      </details>

      {viewing !== null ? (
        <ImageViewer job={sortedJob} index={viewing} onIndexChange={setViewing} onClose={() => setViewing(null)} />
      ) : null}

      {confirmingDelete ? (
        <Dialog title="Delete this job?" onClose={() => setConfirmingDelete(false)} initialFocus={keepRef}>
          <p>The job and its images are deleted for good; their links stop working.</p>
          {remove.error ? (
            <p role="alert" className="field-error">
              {describeError(remove.error)}
            </p>
          ) : null}
          <div className={styles.dialogActions}>
            <button ref={keepRef} type="button" className="button" onClick={() => setConfirmingDelete(false)}>
              Keep it
            </button>
            <button
              type="button"
              className="button button--danger"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(undefined, {
                  onSuccess: () => {
                    setConfirmingDelete(false);
                    onDeleted();
                  },
                })
              }
            >
              {remove.isPending ? 'Deleting…' : 'Yes, delete'}
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
