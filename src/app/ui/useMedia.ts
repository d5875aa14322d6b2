import { useCallback, useSyncExternalStore } from 'react';

const lists = new Map<string, MediaQueryList>();
const list = (query: string) => lists.get(query) ?? lists.set(query, matchMedia(query)).get(query)!;

/** Whether a media query matches now, re-rendering when it changes. */
export function useMedia(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      list(query).addEventListener('change', onChange);
      return () => list(query).removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => list(query).matches);
}

/** The layout's three widths (README "Using Folio"): phone ≤ 480 px, desktop ≥ 1,100 px. */
export const DESKTOP = '(min-width: 1100px)';
export const WIDE_ENOUGH_FOR_SOURCES = '(min-width: 760px)';
export const PHONE = '(max-width: 480px)';
