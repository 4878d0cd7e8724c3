import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { JobHistory } from '@/features/jobs/components/JobHistory';

function pageFrom(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

/** `/jobs?page=N`: the history, newest first. */
export default function HistoryPage() {
  const [params, setParams] = useSearchParams();
  const page = pageFrom(params.get('page'));
  useDocumentTitle(page > 1 ? `History, page ${page}` : 'History');

  return (
    <div className="page page--medium stack">
      <h1>History</h1>
      <JobHistory
        page={page}
        onPageChange={(next) => {
          setParams(next > 1 ? { page: String(next) } : {});
          window.scrollTo({ top: 0 });
        }}
      />
    </div>
  );
}
