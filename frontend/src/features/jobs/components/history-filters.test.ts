import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiQueryOf, filtersFromParams, NO_FILTERS, paramsFromFilters } from './history-filters';

// A zone with a daylight-saving change inside the range, so an offset taken once for all would be wrong.
// (Node reads TZ afresh when it changes; this file runs in a worker of its own.)
beforeAll(() => {
  vi.stubEnv('TZ', 'America/New_York');
});

describe('history filters', () => {
  it('sends From and To as local day boundaries, each with its own offset', () => {
    // Clocks went forward on 8 March 2026 in New York: that day starts at -05:00, the next at -04:00.
    expect(apiQueryOf({ ...NO_FILTERS, from: '2026-03-08', to: '2026-03-08' })).toEqual({
      created_after: '2026-03-08T00:00:00-05:00',
      created_before: '2026-03-09T00:00:00-04:00',
    });
    // To the end of a month rolls over to the next month's first day.
    expect(apiQueryOf({ ...NO_FILTERS, to: '2026-01-31' }).created_before).toBe('2026-02-01T00:00:00-05:00');
  });

  it('reads the URL it writes, leaving out what is empty', () => {
    const filters = { q: 'sun bea', style: 'acme', model: 'flux-demo', statuses: ['running' as const, 'failed' as const], from: '2026-01-02', to: '2026-02-03' };
    const params = paramsFromFilters(filters, 3);
    expect(params.toString()).toBe('q=sun+bea&style=acme&model=flux-demo&status=running&status=failed&from=2026-01-02&to=2026-02-03&page=3');
    expect(filtersFromParams(params)).toEqual(filters);
    expect(paramsFromFilters(NO_FILTERS).toString()).toBe('');
  });

  it('ignores what a hand-edited URL gets wrong', () => {
    const filters = filtersFromParams(new URLSearchParams('status=done&status=failed&from=2026-02-30&to=yesterday&q=%20%20'));
    expect(filters).toEqual({ ...NO_FILTERS, statuses: ['failed'] });
  });

  it('sends only the filters that are set', () => {
    expect(apiQueryOf(NO_FILTERS)).toEqual({});
    expect(apiQueryOf({ ...NO_FILTERS, q: 'kite', statuses: ['complete'] })).toEqual({ q: 'kite', status: ['complete'] });
  });
});
