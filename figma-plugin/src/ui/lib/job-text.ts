import type { Job, JobStatus } from '../api/client';

export function isActive(status: JobStatus): boolean {
  return status === 'queued' || status === 'running';
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function queueText(position: number | null | undefined): string | null {
  if (position === null || position === undefined) return null;
  if (position <= 0) return 'Next in line';
  return `${plural(position, 'job', 'jobs')} ahead of yours`;
}

function imagesAheadText(count: number | null | undefined): string | null {
  if (count === null || count === undefined) return null;
  if (count <= 0) return 'Yours are next';
  return `${plural(count, 'image', 'images')} ahead`;
}

/** Where a job is, in the web app's words: "Queued · 2 jobs ahead of yours", "Step 5 of 28". */
export function progressText(job: Job): string {
  const join = (word: string, detail: string | null) => (detail ? `${word} · ${detail}` : word);
  switch (job.status) {
    case 'queued':
      if (job.phase === 'waiting_for_gpu') return join('Waiting for the GPU', imagesAheadText(job.images_ahead));
      return join('Queued', queueText(job.queue_position));
    case 'running':
      if (job.phase === 'waiting_for_gpu') return join('Waiting for the GPU', imagesAheadText(job.images_ahead));
      return job.progress ? `Step ${job.progress.step} of ${job.progress.total}` : 'Starting the model…';
    case 'complete':
      return `${plural(job.images?.length ?? 0, 'image', 'images')} ready`;
    case 'failed':
      return `Failed: ${job.error || 'no reason was given.'}`;
    case 'cancelled':
      return 'Cancelled. No images were made.';
  }
}

/** A prompt cut to a layer name's length at a word boundary, with an ellipsis when cut. */
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

export function secondsText(seconds: number): string {
  return plural(seconds, 'second', 'seconds');
}
