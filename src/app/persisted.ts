import { useCallback, useSyncExternalStore } from 'react';

/**
 * Small pieces of UI state kept in localStorage (settings, the chosen answer engine, theme…).
 * Whatever is read back is checked before use: storage written by an older Folio, by hand or by a
 * broken extension gives the default (or the valid part of an object), never a crash or a wrong type.
 */
export type Check<T> = (raw: unknown) => T | undefined;

export interface Persisted<T> {
  readonly key: string;
  load(): T;
  save(value: T): void;
}

const listeners = new Map<string, Set<() => void>>();
const cache = new Map<string, unknown>();

function readRaw(key: string): unknown {
  let text: string | null;
  try {
    text = localStorage.getItem(key);
  } catch {
    return undefined; // storage blocked (private mode in some browsers)
  }
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text; // a plain string written by an older version ('done')
  }
}

export function persisted<T>(key: string, check: Check<T>, fallback: T): Persisted<T> {
  return {
    key,
    load() {
      if (!cache.has(key)) cache.set(key, check(readRaw(key)) ?? fallback);
      return cache.get(key) as T;
    },
    save(value) {
      cache.set(key, value);
      try {
        localStorage.setItem(key, JSON.stringify(value));
      } catch {
        // Kept for this page only when storage is full or blocked.
      }
      listeners.get(key)?.forEach((l) => l());
    },
  };
}

/** The value, kept in step across every component that uses the same key. */
export function usePersisted<T>(p: Persisted<T>): [T, (value: T) => void] {
  const subscribe = useCallback(
    (l: () => void) => {
      const set = listeners.get(p.key) ?? new Set();
      listeners.set(p.key, set);
      set.add(l);
      return () => void set.delete(l);
    },
    [p.key],
  );
  const value = useSyncExternalStore(subscribe, p.load);
  return [value, p.save];
}

/** Checks for what localStorage gives back. */
export const is = {
  string: ((raw) => (typeof raw === 'string' ? raw : undefined)) as Check<string>,
  boolean: ((raw) => (typeof raw === 'boolean' ? raw : undefined)) as Check<boolean>,
  integer:
    (min: number, max: number): Check<number> =>
    (raw) =>
      typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max ? raw : undefined,
  oneOf:
    <const V extends string>(...values: V[]): Check<V> =>
    (raw) =>
      values.includes(raw as V) ? (raw as V) : undefined,
  /** An object whose fields are each checked; invalid or missing fields take their defaults. */
  fields:
    <T extends object>(checks: { [K in keyof T]: Check<T[K]> }, defaults: T): Check<T> =>
    (raw) => {
      if (!raw || typeof raw !== 'object') return undefined;
      const out = { ...defaults };
      for (const key of Object.keys(checks) as (keyof T)[]) {
        const v = checks[key]((raw as Record<keyof T, unknown>)[key]);
        if (v !== undefined) out[key] = v;
      }
      return out;
    },
};
