import type { PlaceState } from '../hooks/use-placer';

/** What happened to the last "Place" (read out by screen readers as it changes). */
export function PlaceStatus({ status }: { status: PlaceState }) {
  return (
    <div role="status" className={`place-status${status.state === 'failed' ? ' place-status--error' : ''}`}>
      {status.state === 'idle' ? null : status.text}
    </div>
  );
}
