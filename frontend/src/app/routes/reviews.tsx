import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useMe } from '@/features/auth/api/get-me';
import { PendingReviews } from '@/features/reviews/components/PendingReviews';
import { pageFrom } from './page-param';

/** `/reviews?page=N`: the images waiting for a reviewer's decision (reviewers only). */
export default function ReviewsPage() {
  const [params, setParams] = useSearchParams();
  const page = pageFrom(params.get('page'));
  const me = useMe();
  useDocumentTitle('To review');

  return (
    <div className="page stack">
      <h1>To review</h1>
      {me.data && !me.data.can_review ? (
        <p className="notice">Only reviewers approve or reject images. Approved images are in the Approved library.</p>
      ) : me.data ? (
        <PendingReviews
          page={page}
          onPageChange={(next) => {
            setParams(next > 1 ? { page: String(next) } : {});
            window.scrollTo({ top: 0 });
          }}
        />
      ) : null}
    </div>
  );
}
