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

/** The job's state in one sentence, as the status region reads it out. */
export function statusSentence(job: Job): string {
  switch (job.status) {
    case 'queued': {
      const queue = queueText(job.queue_position);
      return queue ? `Queued. ${queue}.` : 'Queued.';
    }
    case 'running':
      return job.progress
        ? `Running. Step ${job.progress.step} of ${job.progress.total}.`
        : 'Running. Starting the model…';
    case 'complete': {
      const n = job.images?.length ?? 0;
      return `Complete. ${n} ${n === 1 ? 'image' : 'images'} ready.`;
    }
    case 'failed':
      return `Failed. ${job.error || 'No reason was given.'}`;
    case 'cancelled':
      return 'Cancelled. No images were made.';
  }
}

/** An image link that makes the server answer with Content-Disposition: attachment. */
export function downloadUrl(url: string): string {
  try {
    const parsed = new URL(url, window.location.href);
    parsed.searchParams.set('download', '1');
    return parsed.href;
  } catch {
    return `${url}${url.includes('?') ? '&' : '?'}download=1`;
  }
}

export function imageAlt(n: number, of: number, prompt: string): string {
  return `Image ${n} of ${of}: ${prompt}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}
