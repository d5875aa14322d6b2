import { ChevronRight, CircleStop, FileSearch, ListChecks, Square, Table2, TextQuote } from 'lucide-react';
import type { ReactNode } from 'react';
import type { SummaryLength } from '../../../core';
import { DocIcon } from '../../library/DocIcon';
import { CheckedAnswer } from '../AnswerView';
import type { Turn } from '../conversationStore';
import { counted } from '../../ui/format';
import { Citation, docTypeOf } from '../Passages';
import { where } from '../place';
import { WrittenAnswer } from '../WrittenAnswer';
import { useWholeActions } from './WholeActions';
import './whole.css';

/** A list item's own bullet ("• Google Docs (2006): …"): drawn by the list already. */
const unbulleted = (text: string) => text.replace(/^[•·▪◦‣●○■□–-]\s+/u, '');

/** A cited sentence: the quote as the document says it, its chip after it. */
function Cited({ text, n, turnId }: { text: string; n: number; turnId: string }) {
  return (
    <>
      {unbulleted(text)} <Citation n={n} turnId={turnId} />
    </>
  );
}

/** A heading path's last step: "Results" of ["Paper", "3 Results"]. */
const headingOf = (headings: string[]) => headings.at(-1) ?? '';

/** A section that folds: its heading is the toggle; without a heading its sentences stand alone. */
function Section({ heading, count, children }: { heading: string; count: number; children: ReactNode }) {
  if (!heading) return <div className="whole-section">{children}</div>;
  return (
    <details className="whole-section" open>
      <summary>
        <ChevronRight size={16} aria-hidden className="whole-chevron" />
        <span className="whole-heading">{heading}</span>
        <span className="whole-section-count">· {count} hidden</span>
      </summary>
      {children}
    </details>
  );
}

function DocTitle({ name }: { name: string }) {
  return (
    <h3 className="whole-doc">
      <DocIcon type={docTypeOf(name)} size={15} />
      <span className="one-line">{name}</span>
    </h3>
  );
}

const LENGTHS: [SummaryLength, string][] = [
  ['short', 'Short'],
  ['medium', 'Medium'],
  ['long', 'Long'],
];

/** Short / Medium / Long: the same summary asked again at that length, in place of this one. */
function LengthChoice({ turn }: { turn: Turn }) {
  const actions = useWholeActions();
  const current = turn.length ?? 'medium';
  const settled = turn.status === 'done' || turn.status === 'stopped';
  if (!actions) return null;
  return (
    <fieldset className="whole-lengths">
      <legend className="visually-hidden">Summary length</legend>
      {LENGTHS.map(([length, label]) => (
        <button
          key={length}
          type="button"
          aria-pressed={current === length}
          disabled={!settled || !actions.idle}
          onClick={() =>
            current !== length &&
            actions.ask(turn.question, {
              ...(turn.classified ? { as: turn.classified } : {}),
              length,
              replace: turn.id,
            })
          }
        >
          {label}
        </button>
      ))}
    </fieldset>
  );
}

function SummaryView({ turn }: { turn: Turn }) {
  const s = turn.summary!;
  // A library's summary names each document, even when only one of them had anything to quote.
  const many = (s.inScope ?? s.documents.length) > 1;
  const sentences = s.documents.reduce((n, d) => n + d.sections.reduce((m, x) => m + x.sentences.length, 0), 0);
  // A model that wrote no sentence (a tiny one may write a stray quote mark) leaves the quotes as
  // the summary, open. Its text is checked once written: until then it shows as it came.
  const wroteNothing = turn.status === 'done' && !!turn.engine && !turn.checked?.total;
  const written = turn.checked?.total ? (
    <CheckedAnswer turn={turn} />
  ) : !turn.checked && turn.answer.trim() ? (
    <WrittenAnswer markdown={turn.answer} sources={turn.passages.length} turnId={turn.id} streaming={false} />
  ) : null;
  // The quotes are in; the answer engine rewrites them section by section (a few seconds each).
  const writing = !written && turn.status === 'answering' && turn.engine && (
    <p role="status" className="answer-working">
      Writing a summary from these {counted(sentences, 'sentence')}…
    </p>
  );
  const quotes = s.documents.map((d, i) => (
    // Two files of one name (two folders) are two documents; summaries kept before ids have none.
    <div key={d.docId ?? `${i}:${d.docName}`} className="whole-group">
      {many && <DocTitle name={d.docName} />}
      <CitedSections
        sections={d.sections.map((sec) => ({ headings: sec.headings, items: sec.sentences }))}
        listClass="whole-sentences"
        turnId={turn.id}
      />
    </div>
  ));
  return (
    <>
      <div className="whole-head">
        <p className="whole-statement">
          <TextQuote size={15} aria-hidden />
          <span>
            Summary of <strong>{s.scope}</strong> · {counted(sentences, 'quoted sentence')} from all{' '}
            {counted(s.read.of, 'passage')}
          </span>
        </p>
        <LengthChoice turn={turn} />
      </div>
      {written}
      {written ? (
        <details className="whole-quotes">
          <summary>The quoted sentences it was written from ({sentences})</summary>
          {quotes}
        </details>
      ) : sentences ? (
        quotes
      ) : (
        <p className="muted">No sentence of it reads as prose to quote (only headings, tables or references).</p>
      )}
      {writing}
      {wroteNothing && (
        <p className="answer-meta">The answer engine wrote no sentence from these quotes: they are the summary.</p>
      )}
    </>
  );
}

/** A summary's or a list's sections under their headings, each sentence or item with its citation. */
function CitedSections({
  sections,
  listClass,
  turnId,
}: {
  sections: { headings: string[]; items: { text: string; citation: number }[] }[];
  listClass: string;
  turnId: string;
}) {
  return sections.map((sec) => (
    <Section
      key={`${sec.items[0]?.citation}:${headingOf(sec.headings)}`}
      heading={headingOf(sec.headings)}
      count={sec.items.length}
    >
      <ul className={listClass}>
        {sec.items.map((x) => (
          <li key={x.citation}>
            <Cited text={x.text} n={x.citation} turnId={turnId} />
          </li>
        ))}
      </ul>
    </Section>
  ));
}

function ListView({ turn }: { turn: Turn }) {
  const l = turn.list!;
  return (
    <>
      <div className="whole-head">
        <p className={l.stopped ? 'whole-statement stopped' : 'whole-statement'} data-statement="">
          {l.stopped ? <CircleStop size={15} aria-hidden /> : <ListChecks size={15} aria-hidden />}
          <span>{l.statement}</span>
        </p>
      </div>
      {l.kind === 'count' && (
        <p className="whole-count">
          <span className="whole-count-n">{l.count.toLocaleString()}</span>
          {l.counts === 'documents' ? (
            <span className="muted">{l.count === 1 ? 'document' : 'documents'}</span>
          ) : (
            <span className="muted">distinct {l.count === 1 ? 'item' : 'items'}, listed below</span>
          )}
        </p>
      )}
      {l.groups.map((g, i) => (
        <div key={g.docId ?? `${i}:${g.docName}`} className="whole-group">
          <DocTitle name={g.docName} />
          <CitedSections sections={g.sections} listClass="whole-items" turnId={turn.id} />
        </div>
      ))}
      {!l.groups.length && (
        <p className="muted">Nothing in scope says it. Try other words for what you are looking for.</p>
      )}
    </>
  );
}

function CompareView({ turn }: { turn: Turn }) {
  const c = turn.compare!;
  /** A column's short name ("PaperMage"), where it differs from its file's name. */
  const labelOf = (i: number) => (c.labels?.[i] && c.labels[i] !== c.documents[i] ? c.labels[i] : undefined);
  const headOf = (i: number) => {
    const label = labelOf(i);
    return label ? `${label} · ${c.documents[i]}` : c.documents[i];
  };
  return (
    <>
      <div className="whole-head">
        <p className="whole-statement">
          <Table2 size={15} aria-hidden />
          <span>
            {c.documents.length} documents side by side on {counted(c.rows.length, 'aspect')}, each looked up in every
            document
          </span>
        </p>
      </div>
      <div className="whole-table-wrap">
        <table className="whole-table">
          <thead>
            <tr>
              <th scope="col">Aspect</th>
              {c.documents.map((d, i) => {
                const label = labelOf(i);
                return (
                  <th key={d} scope="col">
                    <span className="whole-th-doc">
                      <DocIcon type={docTypeOf(d)} size={14} />
                      {label ?? d}
                    </span>
                    {label && <span className="whole-th-file">{d}</span>}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {c.rows.map((r) => (
              <tr key={r.aspect}>
                <th scope="row">{r.aspect}</th>
                {r.cells.map((cell, i) => (
                  // On a phone the table is a stack of cards, each cell headed by its column's name.
                  <td key={cell.docName} data-doc={headOf(i)}>
                    {'missing' in cell ? (
                      <span className="whole-missing">{cell.missing}</span>
                    ) : (
                      <Cited text={cell.text} n={cell.citation} turnId={turn.id} />
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** While every passage is read: how far, Stop, and the items found so far (cited once the list is final or stopped). */
function Reading({ turn }: { turn: Turn }) {
  const onStop = useWholeActions()?.stop;
  const p = turn.progress;
  const found = turn.partialItems ?? [];
  const running = turn.status === 'retrieving' || turn.status === 'answering';
  const checking = p?.checking !== undefined;
  const label = checking
    ? 'Checking with the model'
    : turn.kind === 'summary'
      ? 'Reading every passage to summarise'
      : turn.kind === 'compare'
        ? 'Reading each document'
        : 'Reading every passage';
  return (
    <div className="whole-reading">
      {running && (
        <div className="whole-progress" role="status">
          <span>
            {label}
            {checking
              ? ` — ${(p.checked ?? 0).toLocaleString()} of ${counted(p.checking ?? 0, 'sentence')} checked (found in ${counted(p.of, 'passage')})`
              : p
                ? ` — ${p.read.toLocaleString()} of ${counted(p.of, 'passage')}`
                : '…'}
            {found.length && !checking ? ` · ${found.length} found so far` : ''}
          </span>
          {onStop && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={onStop}>
              <Square size={12} aria-hidden /> Stop
            </button>
          )}
          <progress
            className="bar"
            {...(checking
              ? { value: p.checked ?? 0, max: p.checking || 1 }
              : p
                ? { value: p.read, max: p.of || 1 }
                : {})}
            aria-label={label}
          />
        </div>
      )}
      {found.length > 0 && (
        <ul className="whole-items whole-partial" aria-label="Found so far">
          {found.map((x) => (
            <li key={`${x.docId ?? x.docName}:${x.location.start}:${x.text}`}>
              {unbulleted(x.text)}{' '}
              <span className="whole-place">
                {[x.docName, where({ location: x.location })].filter(Boolean).join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * What a scan stopped part-way had read and found: the items above are kept, and nothing should
 * pass for a complete answer (nor point at items above when there are none).
 */
function stoppedReading(turn: Turn): string {
  const p = turn.progress;
  const read = p && `Stopped after reading ${p.read.toLocaleString()} of ${counted(p.of, 'passage')}`;
  if (turn.kind !== 'list' && turn.kind !== 'count')
    return read ? `${read}: not a complete answer.` : 'Stopped before the answer was complete.';
  const found = turn.partialItems?.length ?? 0;
  const what = found ? `${found.toLocaleString()} found so far, above — not a complete answer.` : 'none found so far.';
  return `${read ?? 'Stopped before any passage was read'}: ${what}`;
}

/** A summary, list, count or comparison, each sentence, item or cell with its citation chip. */
export function WholeAnswer({ turn }: { turn: Turn }) {
  const done = turn.summary || turn.list || turn.compare;
  return (
    <div className="answer whole" data-kind={turn.kind}>
      {!done && <Reading turn={turn} />}
      {turn.summary && <SummaryView turn={turn} />}
      {turn.list && <ListView turn={turn} />}
      {turn.compare && <CompareView turn={turn} />}
      {turn.status === 'stopped' && !turn.list?.stopped && (
        <p className="answer-meta stopped">
          <CircleStop size={14} aria-hidden /> {done ? 'Stopped.' : stoppedReading(turn)}
        </p>
      )}
      {turn.status === 'done' && !done && (
        <p className="answer-empty">
          <FileSearch size={16} aria-hidden /> Nothing in scope to read.
        </p>
      )}
    </div>
  );
}
