/**
 * Folding an answer's events (lookup or whole) into the record a turn keeps, and the answer's text
 * as a person reads it (Markdown: the conversation, Copy, the command line's `answer`).
 */
import { applyAnswerEvent, newAnswerRecord } from '../answer/record';
import { where } from '../answer/place';
import type { AskEvent } from './route';
import { citedList, type FoundItem, itemKeys } from './items';
import type { WholeRecord } from './types';

export function newWholeRecord(question: string): WholeRecord {
  return newAnswerRecord(question);
}

/** The record after one more event. Pure, as `applyAnswerEvent` is. */
export function applyAskEvent(state: WholeRecord, event: AskEvent): WholeRecord {
  switch (event.type) {
    case 'kind': {
      const { alternative, ...rest } = state;
      void alternative;
      return {
        ...rest,
        kind: event.kind,
        scope: event.scope,
        ...(event.alternative ? { alternative: event.alternative } : {}),
      };
    }
    case 'progress':
      return {
        ...state,
        progress: {
          read: event.read,
          of: event.of,
          ...(event.checking !== undefined ? { checked: event.checked ?? 0, checking: event.checking } : {}),
        },
        status: 'answering',
      };
    case 'items': {
      // Overlapping passages find a sentence twice: it is shown, counted and stopped on once.
      const have = new Set((state.partialItems ?? []).flatMap(itemKeys));
      const added = event.items.filter((i) => {
        const keys = itemKeys(i);
        if (keys.some((k) => have.has(k))) return false;
        for (const k of keys) have.add(k);
        return true;
      });
      return { ...state, partialItems: [...(state.partialItems ?? []), ...added] };
    }
    case 'dropped': {
      // The copy an overlapping passage found goes too: the same place, or the same words, in that document.
      const gone = new Set(event.items.flatMap(itemKeys));
      return {
        ...state,
        partialItems: (state.partialItems ?? []).filter((i) => !itemKeys(i).some((k) => gone.has(k))),
      };
    }
    case 'summary':
      return { ...state, summary: event };
    case 'list': {
      const { partialItems, ...rest } = state;
      void partialItems;
      return { ...rest, list: event };
    }
    case 'compare':
      return { ...state, compare: event };
    case 'done':
      return applyAnswerEvent(event.finishReason === 'aborted' ? stoppedList(state) : state, event);
    default:
      return applyAnswerEvent(state, event);
  }
}

/**
 * A list or count stopped part-way: the items found so far become the list, each with its chip,
 * said to be incomplete. Its kind is a list whatever was asked: a count of part of the passages is
 * not the count.
 */
function stoppedList(state: WholeRecord): WholeRecord {
  const items = state.partialItems;
  if (state.list || !items?.length || !items.every((i) => i.docId !== undefined && i.chunkIndex !== undefined))
    return state;
  const { groups, passages } = citedList(items as FoundItem[]);
  const found = groups.reduce((n, g) => n + g.sections.reduce((m, s) => m + s.items.length, 0), 0);
  const p = state.progress;
  const { partialItems, ...rest } = state;
  void partialItems;
  return {
    ...rest,
    passages,
    list: {
      type: 'list',
      kind: 'list',
      groups,
      count: found,
      counts: 'items',
      scanned: { passages: p?.read ?? 0, of: p?.of ?? 0 },
      stopped: true,
      statement: stoppedStatement(p, found),
    },
  };
}

/**
 * Stopped while reading, or after it while the model checked what was found: then every passage was
 * read but the items are candidates the model had not yet confirmed, and the statement says so.
 */
function stoppedStatement(p: WholeRecord['progress'], found: number): string {
  const n = (x: number) => x.toLocaleString('en');
  if (p?.checking !== undefined) {
    const checked = p.checked ?? 0;
    const no = p.checking - found;
    return `Stopped while the model checked what was found: ${n(checked)} of ${n(p.checking)} sentences checked${no > 0 ? `, ${n(no)} rejected` : ''}; ${n(found)} shown, ${n(p.checking - checked)} of them unchecked — not a complete answer. All ${n(p.of)} passages were read.`;
  }
  return `Stopped after reading ${p ? `${n(p.read)} of ${n(p.of)} passages` : 'part of the passages'}: ${found} found so far — not a complete answer.`;
}

const cite = (n: number) => `[${n}]`;

/** The answer as text: what the conversation shows, for Copy and the command line. */
export function answerText(record: WholeRecord): string {
  const out: string[] = [];
  if (record.summary) {
    const s = record.summary;
    out.push(`Summary of ${s.scope} (read all ${s.read.of} passages):`);
    for (const d of s.documents) {
      if ((s.inScope ?? s.documents.length) > 1) out.push('', `**${d.docName}**`);
      for (const sec of d.sections) {
        const heading = sec.headings.at(-1);
        if (heading) out.push('', `### ${heading}`);
        for (const x of sec.sentences) out.push(`- ${x.text} ${cite(x.citation)}`);
      }
    }
  }
  if (record.list) {
    const l = record.list;
    out.push(l.kind === 'count' ? `${l.count} — ${l.statement}` : l.statement);
    for (const g of l.groups) {
      out.push('', `**${g.docName}**`);
      for (const sec of g.sections) {
        const heading = sec.headings.at(-1);
        if (heading) out.push(`### ${heading}`);
        for (const i of sec.items) out.push(`- ${i.text} ${cite(i.citation)}`);
      }
    }
  }
  // A scan that did not finish (stopped, or still reading): what it had found, said as such (the
  // items have no numbers yet).
  if (!record.list && record.partialItems?.length) {
    const p = record.progress;
    const why = record.status === 'stopped' ? 'stopped: ' : '';
    out.push(
      `Found so far${p ? ` in ${p.read} of ${p.of} passages` : ''} (${why}not a complete answer):`,
      ...record.partialItems.map(
        (i) => `- ${i.text} (${[i.docName, where({ location: i.location })].filter(Boolean).join(' · ')})`,
      ),
    );
  }
  if (record.compare) {
    const c = record.compare;
    const cell = (x: CellLike) => ('missing' in x ? `*${x.missing}*` : `${x.text} ${cite(x.citation)}`);
    const heads = c.documents.map((d, i) => (c.labels?.[i] && c.labels[i] !== d ? `${c.labels[i]} (${d})` : d));
    out.push(`| Aspect | ${heads.join(' | ')} |`, `|${' --- |'.repeat(c.documents.length + 1)}`);
    for (const r of c.rows)
      out.push(`| ${r.aspect} | ${r.cells.map((x) => cell(x).replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  if (record.answer.trim()) out.push('', record.answer.trim());
  if (!out.length) {
    if (record.declined) return record.declined.reason;
    const e = record.extract;
    if (e) return `${e.text} ${cite(e.citations[0] ?? 1)}`;
  }
  return out.join('\n').trim();
}

type CellLike = { text: string; citation: number } | { missing: string };

/** Every citation of the answer: its document, place ("p. 4, Results") and the quote. */
export function answerCitations(record: WholeRecord): { docName: string; location: string; quote: string }[] {
  if (record.kind && record.kind !== 'lookup')
    return record.passages.map((p) => ({ docName: p.docName, location: where(p), quote: p.text }));
  const sentences = record.checked?.sentences ?? (record.extract ? [record.extract] : []);
  return sentences.flatMap((s) =>
    s.support
      ? [
          {
            docName: record.passages[s.support.passage - 1]?.docName ?? '',
            location: where(record.passages[s.support.passage - 1] ?? { location: { headings: [], start: 0, end: 0 } }),
            quote: s.support.quote,
          },
        ]
      : [],
  );
}
