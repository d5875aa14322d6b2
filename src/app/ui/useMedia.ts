import { useCallback, useSyncExternalStore } from 'react';

/** Whether a media query matches now, re-rendering when it changes. */
export function useMedia(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => matchMedia(query).matches);
}

/** The layout's three widths (README "Using Folio"): phone ≤ 480 px, desktop ≥ 1,100 px. */
export const DESKTOP = '(min-width: 1100px)';
export const WIDE_ENOUGH_FOR_SOURCES = '(min-width: 760px)';
export const PHONE = '(max-width: 480px)';
