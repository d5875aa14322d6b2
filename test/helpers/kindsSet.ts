import fs from 'node:fs';
import { classifyQuestion, type Classification } from '../../src/core';

/** One labelled question of test/fixtures/whole/kinds.jsonl. */
export interface LabelledQuestion {
  q: string;
  kind: Classification['kind'];
  level: Classification['scope']['level'];
  documents?: string[];
  section?: string;
  collection?: string;
  /** The last answer's document, for "summarise it". */
  last?: string;
  /** The scope picker's documents / collection. */
  current?: string[];
  currentCollection?: string;
}

/** The library every labelled question is asked in. */
export const KINDS_LIBRARY = {
  documents: [
    'bert.pdf',
    'multi_page.pdf',
    'wiki_duck.html',
    'wiki-ibm.md',
    'war-and-peace-1p.txt',
    'audit-2023.pdf',
    'proposal-acme.docx',
    'proposal-globex.docx',
    'annual_report_2022.pdf',
    'annual_report_2023.pdf',
    'handbook.md',
    'contract-001.pdf',
  ],
  collections: ['Contracts', 'Research papers', 'Incidents 2023'],
};

export function loadKinds(file = 'test/fixtures/whole/kinds.jsonl'): LabelledQuestion[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledQuestion);
}

/** Even lines tune, odd lines report. */
export function half(set: LabelledQuestion[], which: 'tune' | 'report'): LabelledQuestion[] {
  return set.filter((_, i) => (i % 2 === 0) === (which === 'tune'));
}

/**
 * Right when the kind is; for summaries, lists and counts also the scope's level; and the documents,
 * section and collection wherever the label names them.
 */
export function judge(l: LabelledQuestion): { ok: boolean; got: Classification } {
  const got = classifyQuestion(l.q, {
    ...KINDS_LIBRARY,
    ...(l.last ? { lastDocument: l.last } : {}),
    ...(l.current || l.currentCollection
      ? {
          current: {
            ...(l.current ? { documents: l.current } : {}),
            ...(l.currentCollection ? { collection: l.currentCollection } : {}),
          },
        }
      : {}),
  });
  let ok = got.kind === l.kind;
  if (ok && ['summary', 'list', 'count'].includes(l.kind)) ok = got.scope.level === l.level;
  if (ok && l.documents) ok = [...got.scope.documents].sort().join() === [...l.documents].sort().join();
  if (ok && l.section) ok = got.scope.section === l.section;
  if (ok && l.collection) ok = got.scope.collection === l.collection;
  return { ok, got };
}
