import type { Job, JobStatus } from '../api/get-job';

export const STATUS_WORDS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  complete: 'Complete',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function queueText(position: number | null | undefined): string | null {
  if (position === null || position === undefined) return null;
  if (position <= 0) return 'Next in line';
  return `${position} ${position === 1 ? 'job' : 'jobs'} ahead of yours`;
}

/**
 * What goes with the status word: the place in the queue, the step, how many images, why it
 * failed. The status region reads it out only once the job has ended (see JobView).
 */
export function statusDetail(job: Job): string | null {
  switch (job.status) {
    case 'queued':
      return queueText(job.queue_position);
    case 'running':
      return job.progress ? `Step ${job.progress.step} of ${job.progress.total}` : 'Starting the model…';
    case 'complete': {
      const n = job.images?.length ?? 0;
      return `${n} ${n === 1 ? 'image' : 'images'} ready.`;
    }
    case 'failed':
      return job.error || 'No reason was given.';
    case 'cancelled':
      return 'No images were made.';
  }
}

/** The server's WebP copies are at most this many pixels on their longest side. */
export const THUMBNAIL_MAX = 512;

/** The real width of an image's WebP copy (for its srcset `w` descriptor): never wider than the image. */
export function thumbnailWidth(width: number, height: number): number {
  return Math.min(width, Math.round((THUMBNAIL_MAX * width) / Math.max(width, height)));
}

export function imageAlt(n: number, of: number, prompt: string): string {
  return `Image ${n} of ${of}: ${prompt}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}
