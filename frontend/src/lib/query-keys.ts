/**
 * Query keys that more than one feature touches (submitting a job refreshes the history list),
 * kept here so features agree on them without importing each other.
 */
export const jobKeys = {
  all: ['jobs'] as const,
  lists: () => ['jobs', 'list'] as const,
  list: (page: number) => ['jobs', 'list', page] as const,
  detail: (jobId: string) => ['jobs', 'detail', jobId] as const,
};
