import { useMemo } from 'react';
import { isSignInRequired } from '@/lib/access-token';
import { ApiError } from '@/lib/api-error';
import { describeError, secondsText } from '@/lib/errors';
import { useCountdown } from '@/hooks/use-countdown';
import styles from './ErrorMessage.module.css';

type Props = {
  error: unknown;
  notFound?: string;
  /** Offered when trying again could help (network trouble, 5xx, 429). */
  onRetry?: () => void;
  title?: string;
};

/** A failed call in words, with "Try again in N seconds" when the server said when. */
export function ErrorMessage({ error, notFound, onRetry, title }: Props) {
  const retryAfter = error instanceof ApiError ? error.retryAfterSeconds : null;
  // Counted from when this error arrived: a second 503 while the message stays up starts anew.
  const retryAt = useMemo(() => (retryAfter === null ? null : Date.now() + retryAfter * 1000), [error]);
  const secondsLeft = useCountdown(retryAt);
  const retryable = error instanceof ApiError
    ? error.isNetworkError || error.status >= 500 || error.status === 429
    : !isSignInRequired(error);

  return (
    <div className={styles.error}>
      <div role="alert">
        {title ? <p className={styles.title}>{title}</p> : null}
        <p>{describeError(error, { notFound })}</p>
      </div>
      {/* Outside the alert: a ticking countdown must not be announced every second. */}
      {retryAfter !== null && secondsLeft > 0 ? <p>Try again in {secondsText(secondsLeft)}.</p> : null}
      {onRetry && retryable ? (
        <button type="button" className="button" onClick={onRetry} disabled={secondsLeft > 0}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
