/**
 * matchMedia for jsdom (which has none): a screen of `width` CSS pixels (1rem = 16px), with a
 * mouse unless `touch`. Answers the queries the app asks: min-/max-width, hover, pointer,
 * prefers-reduced-motion. Tests change the screen with setScreen; listeners hear of it.
 */
type Screen = { width: number; touch: boolean };

const initial: Screen = { width: 1280, touch: false };
let screen: Screen = { ...initial };
const lists = new Set<{ query: string; fire: () => void }>();

function px(value: string): number {
  const n = parseFloat(value);
  return value.endsWith('rem') || value.endsWith('em') ? n * 16 : n;
}

function one(feature: string): boolean {
  const [name, value = ''] = feature.split(':').map((s) => s.trim());
  switch (name) {
    case 'min-width':
      return screen.width >= px(value);
    case 'max-width':
      return screen.width <= px(value);
    case 'hover':
      return value === (screen.touch ? 'none' : 'hover');
    case 'pointer':
      return value === (screen.touch ? 'coarse' : 'fine');
    case 'prefers-reduced-motion':
      return value === 'no-preference';
    default:
      return false;
  }
}

export function matches(query: string): boolean {
  return query
    .split(/\s+and\s+/)
    .map((part) => part.replace(/^\(|\)$/g, ''))
    .every(one);
}

export function matchMedia(query: string): MediaQueryList {
  const listeners = new Set<(event: MediaQueryListEvent) => void>();
  const list = {
    media: query,
    get matches() {
      return matches(query);
    },
    onchange: null,
    addEventListener: (_: string, fn: (event: MediaQueryListEvent) => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: (event: MediaQueryListEvent) => void) => listeners.delete(fn),
    addListener: (fn: (event: MediaQueryListEvent) => void) => listeners.add(fn),
    removeListener: (fn: (event: MediaQueryListEvent) => void) => listeners.delete(fn),
    dispatchEvent: () => true,
  };
  let last = list.matches;
  lists.add({
    query,
    fire: () => {
      if (list.matches === last) return;
      last = list.matches;
      for (const fn of listeners) fn({ matches: last, media: query } as MediaQueryListEvent);
    },
  });
  return list as unknown as MediaQueryList;
}

/** Changes the emulated screen (e.g. a phone: `{ width: 390, touch: true }`). */
export function setScreen(next: Partial<Screen>): void {
  screen = { ...screen, ...next };
  for (const list of lists) list.fire();
}

export function resetScreen(): void {
  screen = { ...initial };
  lists.clear();
}
