import { expect, test } from 'vitest';
import { listCondition, scanPassages, type ScanPassage } from './scan';

/** One long document, every entry naming the brakes, one in ten a brake failure. */
function longLog(passages: number): ScanPassage[] {
  let at = 0;
  return Array.from({ length: passages }, (_, i) => {
    const text =
      i % 10 === 3
        ? `Entry ${i}. Van ${i} had a brake failure on the ring road.`
        : `Entry ${i}. The brake pads of van ${i} were replaced at the service.`;
    const p = {
      docId: 'log',
      docName: 'log.md',
      chunkIndex: i,
      text,
      location: { headings: [], start: at, end: at + text.length },
    };
    at += text.length + 2;
    return p;
  });
}

/**
 * Like ONNX Runtime in the library worker: the work is synchronous and the promise resolves through
 * microtasks only, so nothing queued as a task (a `stopAsk` message) runs until the caller lets it.
 */
function busyEmbed(msPerCall: number) {
  const calls = { n: 0 };
  const embed = async (texts: string[]) => {
    calls.n++;
    const until = performance.now() + msPerCall;
    while (performance.now() < until);
    // The phrase's vector and every sentence's: the same direction, so weighing keeps them all.
    return new Float32Array(texts.length * 2).fill(Math.SQRT1_2);
  };
  return { embed, calls };
}

async function* oneDocument(passages: ScanPassage[]) {
  yield passages;
}

test('a long document is read in batches: progress comes during it, not only at its end', async () => {
  const passages = longLog(450);
  const reports: number[] = [];
  let items = 0;
  for await (const batch of scanPassages(oneDocument(passages), listCondition('brake failure'), passages.length, {
    onProgress: (read) => reports.push(read),
  }))
    items += batch.items.length;
  expect(reports).toEqual([100, 200, 300, 400, 450]);
  expect(items).toBe(45);
});

test('Stop, sent as a task while sentences are embedded, ends the scan part-way through a document', async () => {
  const passages = longLog(400);
  const { embed, calls } = busyEmbed(5);
  const controller = new AbortController();
  // A message from the page arrives as a task, as the worker's `stopAsk` does.
  setTimeout(() => controller.abort(), 0);
  const reads: number[] = [];
  const scan = (async () => {
    for await (const batch of scanPassages(oneDocument(passages), listCondition('brake failure'), passages.length, {
      embed,
      signal: controller.signal,
    }))
      reads.push(batch.read);
  })();
  await expect(scan).rejects.toThrow(/abort/i);
  // Every sentence holds "brake" without "failure" but one in ten: 360 to weigh, 32 at a time.
  const allSlices = Math.ceil(360 / 32) + 4;
  expect(calls.n).toBeGreaterThan(0);
  expect(calls.n).toBeLessThan(allSlices);
  expect(reads.at(-1) ?? 0).toBeLessThan(passages.length);
});
