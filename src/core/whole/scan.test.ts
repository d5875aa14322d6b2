import { expect, test } from 'vitest';
import { listCondition, scanPassages, type ScanPassage } from './scan';

/**
 * One long document, every entry naming the brakes, one in ten a brake failure. `notes` more
 * sentences per entry name the brakes only, each one more sentence to weigh by its meaning.
 */
function longLog(passages: number, notes = 0): ScanPassage[] {
  let at = 0;
  return Array.from({ length: passages }, (_, i) => {
    const more = Array.from({ length: notes }, (_, j) => ` Brake check ${j} of van ${i} was logged.`).join('');
    const text =
      i % 10 === 3
        ? `Entry ${i}. Van ${i} had a brake failure on the ring road.${more}`
        : `Entry ${i}. The brake pads of van ${i} were replaced at the service.${more}`;
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

test('Stop, sent as a task while sentences are embedded, ends the scan inside a batch', async () => {
  // One batch of 100 passages holds some 600 sentences to weigh: 19 slices of 32, 5 ms each. Stop
  // must get in between slices (every 40 ms), before the batch is done; checked only between
  // batches, the first batch would finish (19 calls) and be yielded.
  const passages = longLog(100, 5);
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
  expect(calls.n).toBeGreaterThan(0);
  expect(calls.n).toBeLessThan(Math.ceil((95 * 6) / 32));
  expect(reads).toEqual([]);
});

test('two documents of one name (two folders) are read as two: neither loses its items to the other', async () => {
  const a = longLog(20);
  const b = longLog(20).map((p) => ({ ...p, docId: 'log-2' }));
  const found: string[] = [];
  for await (const batch of scanPassages(oneDocument([...a, ...b]), listCondition('brake failure'), 40))
    found.push(...batch.items.map((i) => i.docId));
  expect(found.filter((d) => d === 'log')).toHaveLength(2);
  expect(found.filter((d) => d === 'log-2')).toHaveLength(2);
});

test("a reference list's entries are items only when the question asks for works", async () => {
  const passage = (chunkIndex: number, headings: string[], text: string): ScanPassage => ({
    docId: 'p',
    docName: 'paper.pdf',
    chunkIndex,
    text,
    location: { headings, start: chunkIndex * 1000, end: chunkIndex * 1000 + text.length },
  });
  const paper = [
    passage(0, ['A paper', '5 User study'], 'We ran a user study with ten participants over two weeks.'),
    passage(1, ['A paper', 'REFERENCES'], '[12] A user study of scholarly reading tools. In CHI, 2021.'),
    passage(2, ['A paper', '8 References'], 'Lo, K. A user study of citations. ACL, 2020.'),
  ];
  const found = async (target: string) => {
    const out: string[] = [];
    for await (const b of scanPassages(paper, listCondition(target), paper.length))
      out.push(...b.items.map((i) => i.text));
    return out;
  };
  expect(await found('user study')).toEqual(['We ran a user study with ten participants over two weeks.']);
  expect(await found('paper cited about a user study')).toHaveLength(3);
  // Which documents say something is not a question about works; a title starting with a word for
  // a reference list is no reference list.
  expect(listCondition('papers mention BERT').readsReferences).toBe(false);
  const guide = [passage(0, ['Bibliography of Fire Safety', '2 Equipment'], 'Each floor has a user study room.')];
  let kept = 0;
  for await (const b of scanPassages(guide, listCondition('user study'), 1)) kept += b.items.length;
  expect(kept).toBe(1);
});
