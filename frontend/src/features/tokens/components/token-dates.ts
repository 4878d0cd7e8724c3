const DAY_MS = 24 * 60 * 60 * 1000;
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** "expires in 12 days", "expires in less than a day" or "expired", counted from `now`. */
export function expiryText(expiresAt: string, now: number = Date.now()): string {
  const left = Date.parse(expiresAt) - now;
  if (!(left > 0)) return 'expired';
  const days = Math.floor(left / DAY_MS);
  if (days === 0) return 'expires in less than a day';
  return `expires in ${days} ${days === 1 ? 'day' : 'days'}`;
}
