import { useId, useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { DemoLabel } from '@/components/DemoLabel';
import { Dialog } from '@/components/Dialog';
import { ErrorMessage } from '@/components/ErrorMessage';
import { useFinishedNotice } from '@/hooks/use-finished-notice';
import { describeError } from '@/lib/errors';
import { formPrefill, rerunBody, type GenerateBody } from '@/lib/generate-settings';
import { useDeleteJob } from '../api/delete-job';
import { useDownloadJobArchive } from '../api/download-job-archive';
import { isActive, useJob, type JobStatus } from '../api/get-job';
import { ImageViewer } from './ImageViewer';
import { orderImages, type ImageOrder } from './image-order';
import { ImageGrid, PlaceholderTiles, type ImageExtras } from './JobImages';
import { JobSettings } from './JobSettings';
import { JobStatusBar } from './JobStatusBar';
import { RegenerateExactly } from './RegenerateExactly';
import { jobPhase } from './status-text';
import styles from './JobView.module.css';

type Props = {
  jobId: string;
  /** Settings to take back to the form ("Edit and generate", "Same seed"). */
  onReuse: (settings: GenerateBody) => void;
  /** Starts a new job with these settings at once and shows it ("Generate again"). */
  onGenerateAgain: (settings: GenerateBody) => Promise<unknown>;
  onDeleted: () => void;
  /** Shown while the first answer is on its way, e.g. 'queued' right after submitting. */
  placeholderStatus?: JobStatus;
  /** What the page adds under each image (review actions). */
  imageExtras?: ImageExtras;
  /** Shows the job "Regenerate exactly" started. */
  onRegenerated?: (jobId: string) => void;
};

export const NOT_FOUND_TEXT = 'This job was not found. It may have been deleted, or the link is wrong.';

/** A job from queue to images: status, progress, cancel, the images, and what to do with them. */
export function JobView({ jobId, onReuse, onGenerateAgain, onDeleted, placeholderStatus, imageExtras, onRegenerated }: Props) {
  const query = useJob(jobId);
  const job = query.data;
  const [viewing, setViewing] = useState<number | null>(null);
  const [order, setOrder] = useState<ImageOrder>('made');
  const orderId = useId();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const remove = useDeleteJob(jobId);
  const archive = useDownloadJobArchive(jobId);
  const again = useMutation({ mutationFn: onGenerateAgain });
  const keepRef = useRef<HTMLButtonElement>(null);
  useFinishedNotice(jobId, job?.status, job?.prompt);

  if (!job && query.error) {
    return <ErrorMessage error={query.error} notFound={NOT_FOUND_TEXT} onRetry={() => void query.refetch()} />;
  }
  // The same tree before and after the job arrives (null for what is not there yet), so the
  // status region in JobStatusBar stays one element and each change in it is announced.
  if (!job) {
    return (
      <div className={styles.view} aria-busy="true">
        {null}
        {null}
        <JobStatusBar jobId={jobId} job={null} placeholderStatus={placeholderStatus} />
      </div>
    );
  }

  const active = isActive(job.status);
  // The large view steps through the images in the order the grid shows them.
  const images = orderImages(job.images ?? [], order);
  const sortedJob = { ...job, images };
  const scored = images.some((image) => image.brand);
  const rendering = jobPhase(job) === 'rendering' && job.progress;
  const tileProgress = rendering ? job.progress!.step / (job.progress!.total || 1) : null;

  return (
    <div className={styles.view}>
      <p className={styles.prompt}>{job.prompt}</p>
      {job.demo ? <DemoLabel /> : null}

      <JobStatusBar jobId={jobId} job={job} />

      {query.error ? (
        <p role="alert" className="field-error">
          Could not refresh this job: {describeError(query.error)}
        </p>
      ) : null}

      {active ? <PlaceholderTiles job={job} progress={tileProgress} /> : null}
      {!active && scored && images.length > 1 ? (
        <div className={`field ${styles.order}`}>
          <label htmlFor={orderId}>Order images</label>
          <select id={orderId} value={order} onChange={(event) => setOrder(event.target.value as ImageOrder)}>
            <option value="made">As made</option>
            <option value="brand">Most on-brand first</option>
          </select>
        </div>
      ) : null}
      {!active && images.length ? <ImageGrid job={job} images={images} onOpen={setViewing} extras={imageExtras} /> : null}

      {/* Nothing to repeat or delete while the job has not ended: Cancel (above) is the action then. */}
      {!active ? (
        <div className={styles.actions}>
          {job.status === 'complete' && images.length ? (
            <button type="button" className="button button--primary" onClick={() => archive.mutate()} disabled={archive.isPending}>
              {archive.isPending ? 'Preparing zip…' : 'Download all'}
            </button>
          ) : null}
          <button type="button" className="button" onClick={() => again.mutate(rerunBody(job))} disabled={again.isPending}>
            {again.isPending ? 'Starting…' : 'Generate again'}
          </button>
          {job.status === 'complete' && job.recipe && onRegenerated ? (
            <RegenerateExactly jobId={jobId} onRegenerated={onRegenerated} />
          ) : null}
          <button type="button" className="button" onClick={() => onReuse(formPrefill(job, null))}>
            Edit and generate
          </button>
          <button type="button" className="button" onClick={() => onReuse(formPrefill(job, job.seed))}>
            Same seed
          </button>
          <button type="button" className="button button--danger" onClick={() => setConfirmingDelete(true)}>
            Delete job
          </button>
        </div>
      ) : null}
      {archive.error ? (
        <p role="alert" className="field-error">
          The zip could not be downloaded: {describeError(archive.error)}
        </p>
      ) : null}
      {again.error ? (
        <p role="alert" className="field-error">
          The new job could not be started: {describeError(again.error)}
        </p>
      ) : null}

      <JobSettings job={job} />

      {viewing !== null ? (
        <ImageViewer
          job={sortedJob}
          index={viewing}
          onIndexChange={setViewing}
          onClose={() => setViewing(null)}
          extras={imageExtras}
        />
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
