import type { components } from '@/api/schema';
import { BrandMatchFacts } from './BrandMatch';
import { ContentCredentialsBadge } from './ContentCredentials';
import { ReviewBadge } from './ReviewBadge';
import styles from './ImageFacts.module.css';

type WithFacts = Pick<components['schemas']['ImagePublic'], 'brand' | 'credentials' | 'review'>;

/** What is known about an image beside its pixels: the review decision, the brand score, the credentials. */
export function ImageFacts({ image, large = false }: { image: WithFacts; large?: boolean }) {
  if (!image.brand && !image.credentials && !image.review) return null;
  return (
    <div className={styles.imageFacts}>
      <ReviewBadge review={image.review} />
      <BrandMatchFacts brand={image.brand} withText={large} />
      <ContentCredentialsBadge credentials={image.credentials} />
    </div>
  );
}
