import styles from './Pager.module.css';

type Props = { page: number; pages: number; onPageChange: (page: number) => void };

/** Previous and Next between pages of a list; nothing when it fits on one. */
export function Pager({ page, pages, onPageChange }: Props) {
  if (pages <= 1) return null;
  return (
    <nav className={styles.pager} aria-label="Pages">
      <button type="button" className="button" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
        Previous page
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" className="button" disabled={page >= pages} onClick={() => onPageChange(page + 1)}>
        Next page
      </button>
    </nav>
  );
}
