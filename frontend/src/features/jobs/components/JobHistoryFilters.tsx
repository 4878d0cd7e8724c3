import { useId, useState } from 'react';
import { NamePick } from '@/components/NamePick';
import { MAX_SEARCH_LENGTH, useSearchText } from '@/hooks/use-search-text';
import { useModelNames, useStyleNames } from '@/lib/catalog';
import type { JobStatus } from '../api/get-job';
import { activeFilterCount, ALL_STATUSES, type HistoryFilters, NO_FILTERS } from './history-filters';
import { STATUS_WORDS } from './status-text';
import styles from './JobHistoryFilters.module.css';

type Props = {
  filters: HistoryFilters;
  /** `replace`: refine the current history entry (a search being typed) instead of adding one. */
  onChange: (filters: HistoryFilters, options?: { replace?: boolean }) => void;
};

/** Search, style, model, status and dates; on a phone everything but the search folds behind "Filters". */
export function JobHistoryFilters({ filters, onChange }: Props) {
  const id = useId();
  const modelNames = useModelNames();
  const styleNames = useStyleNames();
  const [open, setOpen] = useState(false);
  const { text, setText, wanted } = useSearchText(filters.q, (q, options) => onChange({ ...filters, q }, options));

  const set = (change: Partial<HistoryFilters>) => onChange({ ...filters, ...change });
  const toggleStatus = (status: JobStatus, on: boolean) =>
    set({ statuses: ALL_STATUSES.filter((s) => (s === status ? on : filters.statuses.includes(s))) });
  const folded = activeFilterCount({ ...filters, q: '' });

  return (
    <form
      role="search"
      aria-label="Filter your jobs"
      className={styles.filters}
      onSubmit={(event) => {
        // Enter in the search box sends it at once rather than after the pause.
        event.preventDefault();
        if (wanted !== filters.q) set({ q: wanted });
      }}
    >
      <div className={styles.searchRow}>
        <div className={`field ${styles.search}`}>
          <label htmlFor={`${id}-q`}>Search your prompts</label>
          <input
            id={`${id}-q`}
            type="search"
            value={text}
            maxLength={MAX_SEARCH_LENGTH}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <button
          type="button"
          className={`button ${styles.toggle}`}
          aria-expanded={open}
          aria-controls={`${id}-more`}
          onClick={() => setOpen(!open)}
        >
          Filters{folded ? ` (${folded})` : ''}
        </button>
      </div>
      <div id={`${id}-more`} className={styles.more} data-open={open || undefined}>
        <NamePick id={`${id}-style`} label="Style" any="Any style" names={styleNames} value={filters.style}
          onChange={(style) => set({ style })} className={styles.pick} />
        <NamePick id={`${id}-model`} label="Model" any="Any model" names={modelNames} value={filters.model}
          onChange={(model) => set({ model })} className={styles.pick} />
        <div className={`field ${styles.pick}`}>
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(event) => set({ from: event.target.value })}
          />
        </div>
        <div className={`field ${styles.pick}`}>
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(event) => set({ to: event.target.value })}
          />
        </div>
        <fieldset className={styles.statuses}>
          <legend>Status</legend>
          {ALL_STATUSES.map((status) => (
            <label key={status} className={styles.check}>
              <input
                type="checkbox"
                checked={filters.statuses.includes(status)}
                onChange={(event) => toggleStatus(status, event.target.checked)}
              />
              {STATUS_WORDS[status]}
            </label>
          ))}
        </fieldset>
        <div className={styles.clear}>
          <button
            type="button"
            className="button"
            disabled={activeFilterCount(filters) === 0 && !wanted}
            onClick={() => {
              setText('');
              onChange(NO_FILTERS);
            }}
          >
            Clear filters
          </button>
        </div>
      </div>
    </form>
  );
}
