const DAY_MS = 24 * 60 * 60 * 1000;
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDate(iso: string | number): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : dateFormat.format(date);
}

/** "expires in 12 days", "expires in less than a day" or "expired", counted from `now`. */
export function expiryText(expiresAt: string, now: number = Date.now()): string {
  const left = Date.parse(expiresAt) - now;
  if (!(left > 0)) return 'expired';
  const days = Math.floor(left / DAY_MS);
  if (days === 0) return 'expires in less than a day';
  return `expires in ${days} ${days === 1 ? 'day' : 'days'}`;
}

/** Lifetimes people commonly pick; the server's default and maximum are added to them. */
const COMMON_DAYS = [7, 30, 90];

export type LifetimeChoice = { days: number; label: string };

/**
 * The lifetimes offered for a new token: a week, a month, a quarter, the server's default and its
 * maximum, none over the maximum, each with the date it would end on.
 */
export function lifetimeChoices(policy: { default_days: number; max_days: number }, now: number = Date.now()): LifetimeChoice[] {
  const days = [...new Set([...COMMON_DAYS, policy.default_days, policy.max_days])]
    .filter((d) => d >= 1 && d <= policy.max_days)
    .sort((a, b) => a - b);
  return days.map((d) => ({
    days: d,
    label: `${d} days${d === policy.max_days ? ', the longest allowed' : ''} (until ${formatDate(now + d * DAY_MS)})`,
  }));
}
