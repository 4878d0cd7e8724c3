import { isActive, type Job, type JobPhase, type JobStatus } from '../api/get-job';

export const STATUS_WORDS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  complete: 'Complete',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Where the job is (the API's phase); a job that has ended is finished whatever was recorded. */
export function jobPhase(job: Pick<Job, 'status' | 'phase'>): JobPhase {
  return isActive(job.status) ? job.phase : 'finished';
}

/** The word on the status badge: "Waiting for the GPU" instead of "Running" until it renders. */
export function statusWord(job: Pick<Job, 'status' | 'phase'>): string {
  return job.status === 'running' && jobPhase(job) === 'waiting_for_gpu' ? 'Waiting for the GPU' : STATUS_WORDS[job.status];
}

export function queueText(position: number | null | undefined): string | null {
  if (position === null || position === undefined) return null;
  if (position <= 0) return 'Next in line';
  return `${position} ${position === 1 ? 'job' : 'jobs'} ahead of yours`;
}

export function imagesAheadText(count: number | null | undefined): string | null {
  if (count === null || count === undefined) return null;
  if (count <= 0) return 'Yours are next';
  return `${count} ${count === 1 ? 'image' : 'images'} ahead`;
}

/**
 * What goes with the status word: the place in the queue, the images the GPU makes first, the
 * step, how many images, why it failed. The status region reads it out only once the job has
 * ended (see JobView).
 */
export function statusDetail(job: Job): string | null {
  switch (job.status) {
    case 'queued':
      return queueText(job.queue_position);
    case 'running':
      if (jobPhase(job) === 'waiting_for_gpu') return imagesAheadText(job.images_ahead);
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

/** A prompt cut to a heading's length at a word boundary, with an ellipsis when cut. */
export function shortPrompt(prompt: string, max = 60): string {
  const text = prompt.trim().replace(/\s+/g, ' ');
  if (text.length <= max) return text;
  const room = max - 1; // one for the ellipsis
  // The character after the room is looked at too: a space there means the last word fits whole.
  const space = text.slice(0, room + 1).lastIndexOf(' ');
  // A long first word is cut mid-word rather than leaving almost nothing.
  const cut = space > max / 2 ? text.slice(0, space) : text.slice(0, room);
  return `${cut.replace(/[\s,.;:–—-]+$/, '')}…`;
}

export { thumbnailWidth } from '@/lib/thumbnails';

export function imageAlt(n: number, of: number, prompt: string): string {
  return `Image ${n} of ${of}: ${prompt}`;
}

