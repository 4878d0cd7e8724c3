import type { components } from '@/api/schema';

type Job = components['schemas']['JobPublic'];
type Model = components['schemas']['ModelInfo'];
type Style = components['schemas']['StyleInfo'];

export const API = 'http://localhost:3000';

let counter = 0;

/** The API's phase for a status: a running job without a step yet is waiting for the GPU. */
function phaseOf(job: Pick<Job, 'status' | 'progress'>): Job['phase'] {
  if (job.status === 'queued') return 'queued';
  if (job.status === 'running') return job.progress?.step ? 'rendering' : 'waiting_for_gpu';
  return 'finished';
}

export function makeJob(overrides: Partial<Job> = {}): Job {
  counter += 1;
  const status = overrides.status ?? 'queued';
  return {
    phase: phaseOf({ status, progress: overrides.progress ?? null }),
    images_ahead: null,
    job_id: `job-${counter}`,
    status: 'queued',
    prompt: 'A red bicycle on a beach',
    model: 'flux-demo',
    style: null,
    width: 1024,
    height: 1024,
    aspect_ratio: null,
    num_images: 4,
    steps: 28,
    guidance: 3.5,
    seed: 1234,
    created_at: '2025-05-01T10:00:00Z',
    started_at: null,
    finished_at: null,
    attempts: 0,
    demo: false,
    images: [],
    progress: null,
    queue_position: 0,
    error: null,
    pipeline_ms: null,
    ...overrides,
  };
}

/** Images with the API's own signed links, as the local-disk storage makes them. */
export function makeImages(jobId: string, count = 4, size = { width: 1024, height: 1024 }) {
  return Array.from({ length: count }, (_, index) => ({
    index,
    url: `${API}/images/${jobId}/${index}.png?expires=9999999999&sig=abc${index}`,
    download_url: `${API}/images/${jobId}/${index}.png?expires=9999999999&sig=abc${index}&download=1`,
    thumbnail_url: `${API}/images/${jobId}/${index}.webp?expires=9999999999&sig=abc${index}`,
    small_thumbnail_url: `${API}/images/${jobId}/${index}.webp?expires=9999999999&sig=abc${index}&width=160`,
    width: size.width,
    height: size.height,
    seed: 1234 + index,
    expires_at: '2099-01-01T00:00:00Z',
  }));
}

/**
 * Images with Azure Blob SAS links: each its own blob and signature (the download's file name is
 * signed in `rscd`), so none can be made from another by adding a parameter.
 */
export function makeSasImages(jobId: string, count = 4, size = { width: 1024, height: 1024 }) {
  const blob = 'https://bagstore.blob.core.windows.net/images';
  const sas = (sig: string, extra = '') =>
    `sv=2025-11-05&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r${extra}&sig=${sig}%2B%2F${jobId}%3D`;
  return Array.from({ length: count }, (_, index) => ({
    index,
    url: `${blob}/${jobId}/${index}.png?${sas(`p${index}`)}`,
    download_url: `${blob}/${jobId}/${index}.png?${sas(`d${index}`, `&rscd=attachment%3B%20filename%3D%22brand-asset-${index + 1}.png%22`)}`,
    thumbnail_url: `${blob}/${jobId}/${index}.512.webp?${sas(`t${index}`)}`,
    small_thumbnail_url: `${blob}/${jobId}/${index}.160.webp?${sas(`s${index}`)}`,
    width: size.width,
    height: size.height,
    seed: 1234 + index,
    expires_at: '2099-01-01T00:00:00Z',
  }));
}

export function completeJob(overrides: Partial<Job> = {}): Job {
  const job = makeJob({ status: 'complete', queue_position: null, progress: { step: 28, total: 28 }, ...overrides });
  return { ...job, images: overrides.images ?? makeImages(job.job_id, job.num_images) };
}

export const demoModel: Model = {
  name: 'flux-demo',
  family: 'flux',
  demo: true,
  default_steps: 28,
  default_guidance: 3.5,
  default_width: 1024,
  default_height: 1024,
};

export const realModel: Model = {
  name: 'flux-dev',
  family: 'flux',
  demo: false,
  default_steps: 28,
  default_guidance: 3.5,
  default_width: 1024,
  default_height: 1024,
};

export const sd35Model: Model = {
  name: 'sd35-large',
  family: 'sd35',
  demo: false,
  default_steps: 28,
  default_guidance: 4.5,
  default_width: 1024,
  default_height: 1024,
};

export const styles: Style[] = [
  {
    name: 'acme-flat',
    family: 'flux',
    description: 'Flat illustration in the Acme palette.',
    trigger_words: ['acmeflat'],
    default_weight: 1,
  },
  {
    name: 'acme-photo-sd',
    family: 'sd35',
    description: 'Acme product photography.',
    trigger_words: ['acmephoto'],
    default_weight: 0.8,
  },
];

export function errorBody(code: string, message: string, fields: { field: string; message: string }[] = []) {
  return { error: { code, message, fields } };
}
