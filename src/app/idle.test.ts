import { describe, expect, it } from 'vitest';
import { importOnce } from './idle';

describe('importOnce', () => {
  it('loads once for every caller, and tries again after a failed load', async () => {
    let calls = 0;
    let fail = true;
    const load = importOnce(async () => {
      calls++;
      if (fail) throw new TypeError('Failed to fetch dynamically imported module');
      return { n: calls };
    });
    // Two callers while the first load is in flight share it, and both see its failure.
    const [a, b] = await Promise.allSettled([load(), load()]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    expect(calls).toBe(1);
    // A failed load is not kept: the next call loads again, and the module is then shared.
    fail = false;
    expect(await load()).toEqual({ n: 2 });
    expect(await load()).toEqual({ n: 2 });
    expect(calls).toBe(2);
  });
});
