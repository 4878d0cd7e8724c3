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
