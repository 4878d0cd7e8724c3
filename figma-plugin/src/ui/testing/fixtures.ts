import type { Job, JobImage, Model, Style } from '../api/client';

export const API = 'http://localhost:3000';
export const TOKEN = 'bag_pat_test-token';

let counter = 0;

/** A job as GET /jobs/{id} answers it; a queued one unless the overrides say otherwise. */
export function makeJob(overrides: Partial<Job> = {}): Job {
  counter += 1;
  return {
    job_id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    status: 'queued',
    phase: 'queued',
    queue_position: 0,
    images_ahead: null,
    prompt: 'A red bicycle on a beach',
    model: 'flux-dev',
    style: null,
    width: 1024,
    height: 1024,
    aspect_ratio: '1:1',
    num_images: 2,
    steps: 28,
    guidance: 3.5,
    seed: 1234,
    created_at: '2026-05-01T10:00:00Z',
    started_at: null,
    finished_at: null,
    attempts: 0,
    demo: false,
    images: [],
    progress: null,
    error: null,
    pipeline_ms: null,
    ...overrides,
  };
}

/** Images with the API's own signed links, as the local-disk storage makes them. */
export function makeImages(jobId: string, count: number, size = { width: 1024, height: 1024 }): JobImage[] {
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

export function completeJob(overrides: Partial<Job> = {}): Job {
  const job = makeJob({
    status: 'complete',
    phase: 'finished',
    queue_position: null,
    progress: { step: 28, total: 28 },
    ...overrides,
  });
  return { ...job, images: overrides.images ?? makeImages(job.job_id, job.num_images) };
}

export const realModel: Model = {
  name: 'flux-dev',
  family: 'flux',
  demo: false,
  default_steps: 28,
  default_guidance: 3.5,
  default_width: 1024,
  default_height: 1024,
};

export const sd35Model: Model = { ...realModel, name: 'sd35-large', family: 'sd35', default_guidance: 4.5 };

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
