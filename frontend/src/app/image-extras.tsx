import { useCallback } from 'react';
import { useMe } from '@/features/auth/api/get-me';
import type { ImageExtras } from '@/features/jobs/components/JobImages';
import { ImageReview } from '@/features/reviews/components/ImageReview';

/**
 * What the job pages add under each of a job's images: the review actions for reviewers, and the
 * history of decisions in the large view (the job's owner and reviewers are the ones who see a job).
 */
export function useImageExtras(jobId: string): ImageExtras {
  const canReview = useMe().data?.can_review ?? false;
  return useCallback(
    (image, n, large) => (
      <ImageReview
        jobId={jobId}
        index={image.index}
        review={image.review}
        n={n}
        canReview={canReview}
        compact={!large}
        showHistory={large}
      />
    ),
    [jobId, canReview],
  );
}
