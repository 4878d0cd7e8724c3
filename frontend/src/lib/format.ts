const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A moment as people read it here ("3 Dec 2026, 14:05"); an unreadable value is shown as it came. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** A fraction 0..1 as a whole percentage ("72%"). */
export function percent(fraction: number): string {
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

/** A brand style with the version it was used at ("acme v3"); the bare name where none is known. */
export function styleWithVersion<S extends string | null | undefined>(style: S, version?: number | null): S | string {
  return style && version ? `${style} v${version}` : style;
}
