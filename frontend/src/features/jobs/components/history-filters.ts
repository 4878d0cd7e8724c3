import { MAX_SEARCH_LENGTH } from '@/hooks/use-search-text';
import type { JobStatus } from '../api/get-job';
import type { JobListQuery } from '../api/list-jobs';

/** What the history is narrowed to. It lives in the URL's query string, so reload, bookmarks and Back keep it. */
export type HistoryFilters = {
  /** Words searched in the caller's own prompts (each must begin a word of the prompt). */
  q: string;
  style: string;
  model: string;
  statuses: JobStatus[];
  /** Local calendar days, `YYYY-MM-DD`, both included; empty when not set. */
  from: string;
  to: string;
};

export const NO_FILTERS: HistoryFilters = { q: '', style: '', model: '', statuses: [], from: '', to: '' };

export const ALL_STATUSES: readonly JobStatus[] = ['queued', 'running', 'complete', 'failed', 'cancelled'];

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
}

/** The filters a URL's query string holds; anything malformed there (a hand-edited link) is ignored. */
export function filtersFromParams(params: URLSearchParams): HistoryFilters {
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return isDay(value) ? value : '';
  };
  const wanted = new Set(params.getAll('status'));
  return {
    q: (params.get('q') ?? '').trim().slice(0, MAX_SEARCH_LENGTH),
    style: params.get('style') ?? '',
    model: params.get('model') ?? '',
    // In one fixed order, so the same choice is the same URL and the same cached page.
    statuses: ALL_STATUSES.filter((status) => wanted.has(status)),
    from: day('from'),
    to: day('to'),
  };
}

/** The query string for `filters` and `page` (page 1 and empty filters are left out: the plain URL). */
export function paramsFromFilters(filters: HistoryFilters, page = 1): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.style) params.set('style', filters.style);
  if (filters.model) params.set('model', filters.model);
  for (const status of filters.statuses) params.append('status', status);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (page > 1) params.set('page', String(page));
  return params;
}

export function activeFilterCount(filters: HistoryFilters): number {
  return [filters.q, filters.style, filters.model, filters.statuses.length, filters.from, filters.to].filter(Boolean)
    .length;
}

function pad(n: number, width = 2): string {
  return String(Math.abs(n)).padStart(width, '0');
}

/** A local time as ISO 8601 with this browser's offset (`2026-03-29T00:00:00+01:00`): the API wants the zone. */
export function isoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

/** The start of a local day, `days` after `YYYY-MM-DD` (the Date constructor rolls months over). */
function startOfDay(day: string, days = 0): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + days);
}

/**
 * The API's filter parameters. The dates are whole local days: From is that day's first moment
 * (inclusive), To is the next day's first moment (the API's `created_before` is exclusive), so a job
 * made late on the To day is in.
 */
export function apiQueryOf(filters: HistoryFilters): JobListQuery {
  const query: JobListQuery = {};
  if (filters.q) query.q = filters.q;
  if (filters.style) query.style = filters.style;
  if (filters.model) query.model = filters.model;
  if (filters.statuses.length) query.status = filters.statuses;
  if (filters.from) query.created_after = isoWithOffset(startOfDay(filters.from));
  if (filters.to) query.created_before = isoWithOffset(startOfDay(filters.to, 1));
  return query;
}
