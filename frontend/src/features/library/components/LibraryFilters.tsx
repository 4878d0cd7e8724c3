import { useId } from 'react';
import { NamePick } from '@/components/NamePick';
import { MAX_SEARCH_LENGTH, useSearchText } from '@/hooks/use-search-text';
import { useModelNames, useStyleNames } from '@/lib/catalog';
import { isFiltered, NO_LIBRARY_FILTERS, type LibraryFilters as Filters } from './library-filters';
import styles from './Library.module.css';

type Props = {
  filters: Filters;
  onChange: (filters: Filters, options?: { replace?: boolean }) => void;
};

/** Search the approved images' prompts, and narrow them to a style and a model. */
export function LibraryFilters({ filters, onChange }: Props) {
  const id = useId();
  const modelNames = useModelNames();
  const styleNames = useStyleNames();
  const { text, setText, wanted } = useSearchText(filters.q, (q, options) => onChange({ ...filters, q }, options));
  const set = (change: Partial<Filters>) => onChange({ ...filters, ...change });

  return (
    <form
      role="search"
      aria-label="Filter the library"
      className={styles.filters}
      onSubmit={(event) => {
        event.preventDefault();
        if (wanted !== filters.q) set({ q: wanted });
      }}
    >
      <div className={`field ${styles.search}`}>
        <label htmlFor={`${id}-q`}>Search the prompts</label>
        <input
          id={`${id}-q`}
          type="search"
          value={text}
          maxLength={MAX_SEARCH_LENGTH}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <NamePick id={`${id}-style`} label="Style" any="Any style" names={styleNames} value={filters.style}
        onChange={(style) => set({ style })} className={styles.pick} />
      <NamePick id={`${id}-model`} label="Model" any="Any model" names={modelNames} value={filters.model}
        onChange={(model) => set({ model })} className={styles.pick} />
      <button
        type="button"
        className="button"
        disabled={!isFiltered(filters) && !wanted}
        onClick={() => {
          setText('');
          onChange(NO_LIBRARY_FILTERS);
        }}
      >
        Clear filters
      </button>
    </form>
  );
}
