import styles from './Pager.module.css';

type Props = {
  page: number;
  pages: number;
  onPageChange: (page: number) => void;
  /** The buttons' words, where the list's order gives them a better name (the history: Newer, Older). */
  previous?: string;
  next?: string;
};

/** Previous and Next between pages of a list; nothing when it fits on one. */
export function Pager({ page, pages, onPageChange, previous = 'Previous page', next = 'Next page' }: Props) {
  if (pages <= 1) return null;
  return (
    <nav className={styles.pager} aria-label="Pages">
      <button type="button" className="button" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
        {previous}
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" className="button" disabled={page >= pages} onClick={() => onPageChange(page + 1)}>
        {next}
      </button>
    </nav>
  );
}
