import { useEffect, useId, useState } from 'react';
import type { JobStatus } from '../api/get-job';
import { useModelNames, useStyleNames } from '../api/get-catalog';
import { activeFilterCount, ALL_STATUSES, MAX_SEARCH_LENGTH, type HistoryFilters, NO_FILTERS } from './history-filters';
import { STATUS_WORDS } from './status-text';
import styles from './JobHistoryFilters.module.css';

/** How long typing must pause before the search is sent: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 300;

type Props = {
  filters: HistoryFilters;
  /** `replace`: refine the current history entry (a search being typed) instead of adding one. */
  onChange: (filters: HistoryFilters, options?: { replace?: boolean }) => void;
};

/** The names on offer, plus the one the URL asks for if the server no longer lists it. */
function optionsWith(names: string[], current: string): string[] {
  return current && !names.includes(current) ? [...names, current] : names;
}

type NamePickProps = {
  id: string;
  label: string;
  any: string;
  names: string[];
  value: string;
  onChange: (name: string) => void;
};

/** One of the names on offer, or any (the empty value). */
function NamePick({ id, label, any, names, value, onChange }: NamePickProps) {
  return (
    <div className={`field ${styles.pick}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{any}</option>
        {optionsWith(names, value).map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Search, style, model, status and dates; on a phone everything but the search folds behind "Filters". */
export function JobHistoryFilters({ filters, onChange }: Props) {
  const id = useId();
  const modelNames = useModelNames();
  const styleNames = useStyleNames();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(filters.q);
  // Back, Forward and "Clear filters" change the URL's search under the box: show what it says.
  // The box is left alone when the URL only caught up with what is typed (the search sent is
  // trimmed: overwriting the box would eat the space just typed before the next word).
  const [shownQ, setShownQ] = useState(filters.q);
  if (filters.q !== shownQ) {
    setShownQ(filters.q);
    if (filters.q !== text.trim()) setText(filters.q);
  }

  const wanted = text.trim();
  useEffect(() => {
    if (wanted === filters.q) return;
    const timer = setTimeout(() => {
      // The first word of a search is a step Back can return from; refining it is not.
      onChange({ ...filters, q: wanted }, { replace: Boolean(filters.q && wanted) });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [wanted, filters, onChange]);

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
          onChange={(style) => set({ style })} />
        <NamePick id={`${id}-model`} label="Model" any="Any model" names={modelNames} value={filters.model}
          onChange={(model) => set({ model })} />
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
