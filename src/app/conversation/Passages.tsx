import { ChevronDown, ChevronUp } from 'lucide-react';
import { useMemo, useState } from 'react';
import { highlightPassage, type ContextPassage } from '../../core';
import { DocIcon } from '../library/DocIcon';
import { RichText, type Range } from './RichText';
import { where } from './place';
import './conversation.css';

/** The sentences of a passage most relevant to the question, as character ranges. */
export function bestSentences(query: string, text: string, max = 2): Range[] {
  const ranges: Range[] = [];
  let at = 0;
  for (const s of highlightPassage(query, text, max).sentences) {
    if (s.highlight) {
      const lead = s.text.length - s.text.trimStart().length;
      ranges.push({ start: at + lead, end: at + s.text.trimEnd().length });
    }
    at += s.text.length;
  }
  return ranges;
}

/** The passage collapsed to what answers: its best sentences, "…" where text is left out. */
function Excerpt({ text, ranges }: { text: string; ranges: Range[] }) {
  if (!ranges.length)
    return <RichText className="excerpt" text={text.length > 320 ? `${text.slice(0, 300).trimEnd()}…` : text} />;
  let shown = '';
  const marks: Range[] = [];
  ranges.forEach((r, i) => {
    const gap = text.slice(i ? ranges[i - 1]!.end : 0, r.start);
    if (gap.trim()) shown += i ? ' … ' : '… ';
    else if (i) shown += ' ';
    marks.push({ start: shown.length, end: shown.length + r.end - r.start });
    shown += text.slice(r.start, r.end);
  });
  if (text.slice(ranges.at(-1)!.end).trim() && !/[.!?:;]["”’)]?$/.test(shown)) shown += ' …';
  return <RichText className="excerpt" text={shown} ranges={marks} />;
}

export function Citation({ n, turnId, label, found }: { n: number; turnId: string; label?: string; found?: boolean }) {
  return (
    <button
      type="button"
      className={found ? 'cite cite-found' : 'cite'}
      data-cite={n}
      data-turn={turnId}
      aria-label={label ?? `Source ${n}`}
    >
      {n}
    </button>
  );
}

/**
 * The sentences a card shows: the one the answer quotes from this passage first (so the quote and
 * its source card never disagree), then the passage's best sentences for the question, in order.
 */
export function shownSentences(query: string, text: string, quoted: string | undefined, max = 2): Range[] {
  const best = bestSentences(query, text, max);
  // The quote's white space may differ from the passage's (line breaks of a PDF, a cell's spaces).
  const words = quoted
    ?.split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const found = words?.length ? new RegExp(words.join('\\s+')).exec(text) : null;
  if (!found) return best;
  const q = { start: found.index, end: found.index + found[0].length };
  const others = best.filter((r) => r.end <= q.start || r.start >= q.end).slice(0, max - 1);
  return [q, ...others].sort((a, b) => a.start - b.start);
}

function PassageCard({
  p,
  n,
  query,
  turnId,
  quoted,
}: {
  p: ContextPassage;
  n: number;
  query: string;
  turnId: string;
  quoted?: string | undefined;
}) {
  const [open, setOpen] = useState(false);
  const ranges = useMemo(() => shownSentences(query, p.text, quoted), [query, p.text, quoted]);
  const place = where(p);
  return (
    <li className="passage">
      <div className="passage-head">
        <Citation n={n} turnId={turnId} />
        <DocIcon type={docTypeOf(p.docName)} size={15} />
        <cite className="passage-doc one-line">{p.docName}</cite>
        {place && (
          <span className="passage-where one-line">
            <span className="passage-sep">· </span>
            {place}
          </span>
        )}
      </div>
      {open ? (
        <RichText className="passage-full" text={p.text} ranges={ranges} />
      ) : (
        <Excerpt text={p.text} ranges={ranges} />
      )}
      <button type="button" className="passage-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? <ChevronUp size={14} aria-hidden /> : <ChevronDown size={14} aria-hidden />}
        {open ? 'Show less' : 'Show passage'}
      </button>
    </li>
  );
}

/** The document type from a file name, for the icon (the record does not carry the type). */
export function docTypeOf(name: string): string {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  return (
    { md: 'markdown', markdown: 'markdown', txt: 'text', htm: 'html', html: 'html', pdf: 'pdf', docx: 'docx' }[ext] ??
    ext
  );
}

/** The passages an answer came from, each collapsed to its best sentences. */
export function Passages({
  passages,
  query,
  turnId,
  label = 'Sources',
  quotes,
}: {
  passages: ContextPassage[];
  query: string;
  turnId: string;
  label?: string;
  /** Sentences the answer quotes, by passage number (1-based). */
  quotes?: ReadonlyMap<number, string>;
}) {
  return (
    <ol className="passages" aria-label={label}>
      {passages.map((p, i) => (
        <PassageCard
          key={`${p.docId}-${p.location.start}`}
          p={p}
          n={i + 1}
          query={query}
          turnId={turnId}
          quoted={quotes?.get(i + 1)}
        />
      ))}
    </ol>
  );
}
