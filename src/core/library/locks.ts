/**
 * The part of the Web Locks API the library uses. Browsers (pages and workers) share one lock
 * manager per origin and release a tab's locks when it closes or crashes; Node has none, so a
 * process gets an in-memory one (`memoryLocks`) with the same behaviour within that process.
 */
export interface LockManagerLike {
  request<T>(name: string, work: (lock: unknown) => Promise<T>): Promise<T>;
  request<T>(name: string, options: { ifAvailable: true }, work: (lock: unknown) => Promise<T>): Promise<T>;
}

let processLocks: LockManagerLike | undefined;

/** Web Locks where the platform has them; otherwise one in-memory manager for the whole process. */
export function defaultLocks(): LockManagerLike {
  const platform = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return platform ?? (processLocks ??= memoryLocks());
}

/** Exclusive locks by name, granted in request order; `ifAvailable` gets null instead of waiting. */
export function memoryLocks(): LockManagerLike {
  // Per name, the promise that settles when the last holder or waiter lets go.
  const tails = new Map<string, Promise<void>>();
  async function request<T>(
    name: string,
    a: { ifAvailable: true } | ((lock: unknown) => Promise<T>),
    b?: (lock: unknown) => Promise<T>,
  ): Promise<T> {
    const work = (typeof a === 'function' ? a : b)!;
    if (typeof a !== 'function' && tails.has(name)) return work(null);
    const before = tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    tails.set(name, tail);
    await before;
    try {
      return await work({ name });
    } finally {
      release();
      if (tails.get(name) === tail) tails.delete(name);
    }
  }
  return { request } as LockManagerLike;
}
