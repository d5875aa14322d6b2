import { expect, test } from 'vitest';
import { linkedAbort } from '../../src/core';

test('linked work aborts with its outer signal, once, and runs its abort action', () => {
  const outer = new AbortController();
  let stopped = 0;
  const link = linkedAbort(outer.signal, () => stopped++);
  expect(link.signal.aborted).toBe(false);
  outer.abort();
  outer.abort();
  expect(link.signal.aborted).toBe(true);
  expect(stopped).toBe(1);
});

test('an outer signal that has already aborted aborts the work at once', () => {
  let stopped = 0;
  const link = linkedAbort(AbortSignal.abort(), () => stopped++);
  expect(link.signal.aborted).toBe(true);
  expect(stopped).toBe(1);
});

test('the work can stop itself without stopping its caller; released work no longer follows the caller', () => {
  const outer = new AbortController();
  const own = linkedAbort(outer.signal);
  own.abort();
  expect(own.signal.aborted).toBe(true);
  expect(outer.signal.aborted).toBe(false);
  const released = linkedAbort(outer.signal);
  released.release();
  outer.abort();
  expect(released.signal.aborted).toBe(false);
});

test('without an outer signal it is a plain controller', () => {
  const link = linkedAbort(undefined);
  link.release();
  link.abort();
  expect(link.signal.aborted).toBe(true);
});
