/**
 * Query keys that more than one feature touches (submitting a job refreshes the history list),
 * kept here so features agree on them without importing each other.
 */
export const jobKeys = {
  all: ['jobs'] as const,
  lists: () => ['jobs', 'list'] as const,
  /** A page of the history under some filters (an object: TanStack hashes it by value). */
  list: (filters: object, page: number) => ['jobs', 'list', filters, page] as const,
  detail: (jobId: string) => ['jobs', 'detail', jobId] as const,
};

/**
 * The models and styles on offer: the generate form and the history's filters share one cached
 * copy (the generate feature spells the same keys).
 */
export const catalogKeys = {
  models: ['models'] as const,
  styles: ['styles'] as const,
};

/** Review decisions: a decision changes the job's image, the image's history, the queue and the library. */
export const reviewKeys = {
  all: ['reviews'] as const,
  history: (jobId: string, index: number) => ['reviews', 'history', jobId, index] as const,
  pending: (page: number) => ['reviews', 'pending', page] as const,
};

export const libraryKeys = {
  all: ['library'] as const,
  list: (filters: object, page: number) => ['library', filters, page] as const,
};
