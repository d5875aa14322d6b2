import { expect, test } from 'vitest';
import { answerText, applyAskEvent, newWholeRecord } from './record';

test('a list stopped part-way is copied with what it had found, said to be incomplete', () => {
  let r = newWholeRecord('List every brake failure in fleet-log.md');
  r = applyAskEvent(r, { type: 'progress', read: 100, of: 197 });
  r = applyAskEvent(r, {
    type: 'items',
    items: [
      {
        text: 'Truck 14: the brakes failed on the ring road.',
        docName: 'fleet-log.md',
        location: { headings: ['March'], start: 120, end: 166 },
      },
    ],
  });
  expect(answerText(r)).toMatch(/^Found so far in 100 of 197 passages \(not a complete answer\):/);
  r = { ...r, status: 'stopped' };
  expect(answerText(r)).toBe(
    'Found so far in 100 of 197 passages (stopped: not a complete answer):\n' +
      '- Truck 14: the brakes failed on the ring road. (fleet-log.md · March)',
  );
  // Once the list is final, its own statement replaces the partial one.
  r = applyAskEvent(r, {
    type: 'list',
    kind: 'list',
    groups: [],
    count: 0,
    counts: 'items',
    scanned: { passages: 197, of: 197 },
    statement: 'Read all 197 passages of fleet-log.md: none found.',
  });
  expect(answerText(r)).toBe('Read all 197 passages of fleet-log.md: none found.');
});
