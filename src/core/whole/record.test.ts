import { expect, test } from 'vitest';
import { answerText, applyAskEvent, newWholeRecord } from './record';

const truck14 = {
  text: 'Truck 14: the brakes failed on the ring road.',
  docId: 'd1',
  docName: 'fleet-log.md',
  chunkIndex: 3,
  location: { headings: ['March'], start: 120, end: 166 },
};
const truck9 = {
  text: 'Truck 9: brake failure at the depot gate.',
  docId: 'd1',
  docName: 'fleet-log.md',
  chunkIndex: 7,
  location: { headings: ['April'], start: 900, end: 941 },
};

function reading() {
  let r = newWholeRecord('List every brake failure in fleet-log.md');
  r = applyAskEvent(r, { type: 'progress', read: 100, of: 197 });
  return applyAskEvent(r, { type: 'items', items: [truck14] });
}

test('a list still reading is copied with what it has found, said to be incomplete', () => {
  expect(answerText(reading())).toBe(
    'Found so far in 100 of 197 passages (not a complete answer):\n' +
      '- Truck 14: the brakes failed on the ring road. (fleet-log.md · March)',
  );
});

test('a list stopped part-way becomes the list of what it found, each item cited', () => {
  let r = applyAskEvent(reading(), { type: 'items', items: [truck9, truck14] });
  r = applyAskEvent(r, { type: 'done', finishReason: 'aborted' });
  expect(r.status).toBe('stopped');
  expect(r.partialItems).toBeUndefined();
  expect(r.list?.stopped).toBe(true);
  // Found twice (overlapping passages): one item, one citation.
  expect(r.passages.map((p) => [p.docId, p.chunkIndexes, p.text])).toEqual([
    ['d1', [3], truck14.text],
    ['d1', [7], truck9.text],
  ]);
  expect(answerText(r)).toBe(
    [
      'Stopped after reading 100 of 197 passages: 2 found so far — not a complete answer.',
      '',
      '**fleet-log.md**',
      '### March',
      `- ${truck14.text} [1]`,
      '### April',
      `- ${truck9.text} [2]`,
    ].join('\n'),
  );
});

test('a count stopped part-way is shown as the list it had, not as a count', () => {
  let r = reading();
  r = { ...r, kind: 'count' };
  r = applyAskEvent(r, { type: 'done', finishReason: 'aborted' });
  expect(r.list?.kind).toBe('list');
  expect(answerText(r)).not.toMatch(/^1 —/);
});

test('items kept before they carried their passage stay as found when stopped', () => {
  const { docId, chunkIndex, ...old } = truck14;
  void docId;
  void chunkIndex;
  let r = newWholeRecord('List every brake failure in fleet-log.md');
  r = applyAskEvent(r, { type: 'progress', read: 100, of: 197 });
  r = { ...r, partialItems: [old] };
  r = applyAskEvent(r, { type: 'done', finishReason: 'aborted' });
  expect(r.list).toBeUndefined();
  expect(answerText(r)).toBe(
    'Found so far in 100 of 197 passages (stopped: not a complete answer):\n' +
      '- Truck 14: the brakes failed on the ring road. (fleet-log.md · March)',
  );
});

test('a list that ends replaces what was found so far with its own statement', () => {
  let r = reading();
  r = applyAskEvent(r, {
    type: 'list',
    kind: 'list',
    groups: [],
    count: 0,
    counts: 'items',
    scanned: { passages: 197, of: 197 },
    statement: 'Read all 197 passages of fleet-log.md: none found.',
  });
  r = applyAskEvent(r, { type: 'done', finishReason: 'stop' });
  expect(answerText(r)).toBe('Read all 197 passages of fleet-log.md: none found.');
});

test('stopped while the model checked what was found: every passage read, its no dropped, the rest said unchecked', () => {
  let r = applyAskEvent(reading(), { type: 'items', items: [truck9] });
  r = applyAskEvent(r, { type: 'progress', read: 197, of: 197 });
  r = applyAskEvent(r, { type: 'progress', read: 197, of: 197, checked: 0, checking: 2 });
  expect(r.progress).toEqual({ read: 197, of: 197, checked: 0, checking: 2 });
  // The model said no to truck 9 and had not yet answered for truck 14.
  r = applyAskEvent(r, { type: 'dropped', items: [truck9] });
  r = applyAskEvent(r, { type: 'progress', read: 197, of: 197, checked: 1, checking: 2 });
  expect(r.partialItems?.map((i) => i.text)).toEqual([truck14.text]);
  r = applyAskEvent(r, { type: 'done', finishReason: 'aborted' });
  expect(r.list?.stopped).toBe(true);
  expect(r.list?.groups.flatMap((g) => g.sections.flatMap((s) => s.items.map((i) => i.text)))).toEqual([truck14.text]);
  expect(r.list?.statement).toBe(
    'Stopped while the model checked what was found: 1 of 2 sentences checked, 1 rejected; 1 shown, 1 of them unchecked — not a complete answer. All 197 passages were read.',
  );
});

test('two documents of one name (from two folders) stay two: not merged, not de-duplicated', () => {
  const other = { ...truck14, docId: 'd2' };
  let r = applyAskEvent(reading(), { type: 'items', items: [other] });
  r = applyAskEvent(r, { type: 'done', finishReason: 'aborted' });
  expect(r.list?.groups.map((g) => [g.docId, g.docName, g.sections.length])).toEqual([
    ['d1', 'fleet-log.md', 1],
    ['d2', 'fleet-log.md', 1],
  ]);
  expect(r.passages.map((p) => p.docId)).toEqual(['d1', 'd2']);
});

test('a sentence found twice (overlapping passages) is one item, and the stop statement counts it once', () => {
  const copy = { ...truck14, chunkIndex: 4 };
  let r = applyAskEvent(reading(), { type: 'items', items: [copy, truck9] });
  expect(r.partialItems?.map((i) => i.chunkIndex)).toEqual([3, 7]);
  r = applyAskEvent(r, { type: 'progress', read: 197, of: 197, checked: 0, checking: 2 });
  r = applyAskEvent(r, { type: 'done', finishReason: 'aborted' });
  expect(r.list?.statement).toBe(
    'Stopped while the model checked what was found: 0 of 2 sentences checked; 2 shown, 2 of them unchecked — not a complete answer. All 197 passages were read.',
  );
});

test("a comparison's columns are headed by the papers' short names, with their files", () => {
  let r = newWholeRecord('Compare Paper Plain and CiteSee');
  r = applyAskEvent(r, {
    type: 'compare',
    documents: ['2203.00130v1.pdf', 'notes.md'],
    labels: ['Paper Plain', 'notes.md'],
    rows: [
      {
        aspect: 'Overview',
        cells: [
          { docName: '2203.00130v1.pdf', text: 'We introduce Paper Plain.', citation: 1 },
          { docName: 'notes.md', missing: 'Not found in notes.md' },
        ],
      },
    ],
  });
  expect(answerText(r).split('\n').slice(0, 3)).toEqual([
    '| Aspect | Paper Plain (2203.00130v1.pdf) | notes.md |',
    '| --- | --- | --- |',
    '| Overview | We introduce Paper Plain. [1] | *Not found in notes.md* |',
  ]);
});
