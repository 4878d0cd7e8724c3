import { useSyncExternalStore } from 'react';

/** Whether a media query matches now, kept up to date (false where matchMedia is missing). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      if (typeof window.matchMedia !== 'function') return () => {};
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => typeof window.matchMedia === 'function' && window.matchMedia(query).matches,
    () => false,
  );
}

/** A touch screen without a mouse: keyboard hints ("Ctrl+Enter", "← →") mean nothing there. */
export const TOUCH_ONLY = '(hover: none) and (pointer: coarse)';

export function useTouchOnly(): boolean {
  return useMediaQuery(TOUCH_ONLY);
}
