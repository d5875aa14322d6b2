import { AlertCircle, BookX, CircleCheck, CircleDashed, CircleStop, Quote, Search, TriangleAlert } from 'lucide-react';
import { lazy, Suspense, type ReactNode } from 'react';
import type { CheckedSentence } from '../../core';
import { MessageText } from '../ui/MessageText';
import { PartBoundary } from '../ui/PartBoundary';
import { Tooltip } from '../ui/Tooltip';
import { isWholeAnswer, type Turn } from './conversationStore';
import { declinedDetail, declinedInScope, declinedTitle } from './declined';
import { useWholeActions } from './whole/WholeActions';
import { Citation, Passages } from './Passages';
import { WrittenAnswer } from './WrittenAnswer';
import './conversation.css';

// Drawn only for answers about the whole or computed from tables: not in the page's first download.
const WholeAnswer = lazy(() => import('./whole/WholeAnswer').then((m) => ({ default: m.WholeAnswer })));
const TableAnswerView = lazy(() => import('./table/TableAnswerView').then((m) => ({ default: m.TableAnswerView })));

/** Sentence text without the [n] markers and Markdown emphasis (its citations are drawn as chips). */
const plain = (s: string) =>
  s
    .replace(/\s*\[\d{1,3}\]/g, '')
    .replace(/(\*\*|__|`)/g, '')
    .trim();

/**
 * Keys for items without an id: their text, numbered when the same text comes again. Stable
 * while a list only grows or is replaced whole, which is all a checked answer does.
 */
/** The sentence the quoted answer takes from its passage, so that passage's card shows it too. */
function quotesOf(turn: Turn): Map<number, string> | undefined {
  const e = turn.extract;
  const n = e?.citations[0];
  if (!e || n === undefined) return undefined;
  return new Map([[n, (e.support?.quote ?? e.text).replace(/\s*\[\d+\]/g, '').trim()]]);
}

function keyedByText<T>(items: T[], text: (item: T) => string): [string, T][] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const t = text(item);
    const n = (seen.get(t) ?? 0) + 1;
    seen.set(t, n);
    return [n > 1 ? `${t}#${n}` : t, item];
  });
}

function Chips({ sentence, turnId, index }: { sentence: CheckedSentence; turnId: string; index?: number }) {
  // A sentence backed only by a passage it does not cite also gets that passage's chip.
  const found =
    sentence.miscited && sentence.support && !sentence.citations.includes(sentence.support.passage)
      ? sentence.support.passage
      : null;
  return (
    <>
      {sentence.citations.map((n) => (
        <span key={n} data-sentence={index}>
          {' '}
          <Citation n={n} turnId={turnId} />
        </span>
      ))}
      {found !== null && (
        <span data-sentence={index}>
          {' '}
          <Citation
            n={found}
            turnId={turnId}
            label={`Source ${found} (the support is here, not in the source it cited)`}
            found
          />
        </span>
      )}
    </>
  );
}

/** A written answer checked sentence by sentence: supported ones calm, unsupported ones marked. */
export function CheckedAnswer({ turn }: { turn: Turn }) {
  const checked = turn.checked!;
  const dropped = [...new Set(checked.sentences.flatMap((s) => s.droppedCitations ?? []))];
  return (
    <div className="answer-text checked">
      <p>
        {keyedByText(checked.sentences, (s) => s.text).map(([key, s], i) =>
          s.support ? (
            <span key={key} className="sentence" data-sentence={i}>
              {plain(s.text)}
              <Chips sentence={s} turnId={turn.id} index={i} />{' '}
            </span>
          ) : (
            <span key={key}>
              <Tooltip content="Not found in your documents">
                <span className="sentence unsupported" data-sentence={i} data-unsupported="">
                  {plain(s.text)}
                  <TriangleAlert size={13} aria-hidden className="unsupported-icon" />
                  <span className="visually-hidden"> (not found in your documents)</span>
                </span>
              </Tooltip>
              <Chips sentence={s} turnId={turn.id} index={i} />{' '}
            </span>
          ),
        )}
      </p>
      <p className={checked.supported === checked.total ? 'support-line all' : 'support-line'}>
        {checked.supported === checked.total ? (
          <CircleCheck size={14} aria-hidden />
        ) : (
          <CircleDashed size={14} aria-hidden />
        )}
        {checked.supported} of {checked.total} {checked.total === 1 ? 'sentence' : 'sentences'} supported by your
        documents
      </p>
      {dropped.length > 0 && (
        <p className="answer-meta dropped-citations">
          Removed {dropped.length === 1 ? 'a citation' : 'citations'} to no passage:{' '}
          {dropped.map((n) => `[${n}]`).join(' ')}
        </p>
      )}
    </div>
  );
}

function Working({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="answer-working">
      <span className="dots" aria-hidden>
        <span />
        <span />
        <span />
      </span>
      {children}
    </p>
  );
}

/** Everything an answer record holds, in reading order: evidence first, then words, then sources. */
export function AnswerView({ turn, onSwitchEngine }: { turn: Turn; onSwitchEngine?: (id: string) => void }) {
  // A summary, list, count or comparison (issue 21) draws itself; a declined or failed one shows as a lookup's.
  if (isWholeAnswer(turn))
    return (
      <PartBoundary what="This answer">
        <Suspense fallback={<Working>Opening the answer…</Working>}>
          <WholeAnswer turn={turn} />
        </Suspense>
      </PartBoundary>
    );
  const query = turn.searchedFor ?? turn.question;
  const streaming = turn.status === 'answering';
  const nothingFound =
    (turn.status === 'done' || turn.status === 'stopped') &&
    !turn.passages.length &&
    !turn.answer &&
    !turn.declined &&
    turn.table?.status !== 'computed';
  return (
    <div className="answer">
      {turn.searchedFor && (
        <p className="answer-meta searched" title={turn.searchedWhy}>
          <Search size={13} aria-hidden /> Searched for: <q>{turn.searchedFor}</q>
        </p>
      )}
      {turn.alsoSearched?.length ? (
        // A term the documents define was searched in its other form too ("DPR" with "Dense Passage Retriever").
        <p className="answer-meta searched" title="Defined in your documents, so both forms were searched">
          <Search size={13} aria-hidden /> Also searched:{' '}
          {turn.alsoSearched.map((t, i) => (
            <span key={t}>
              {i > 0 && ', '}
              <q>{t}</q>
            </span>
          ))}
        </p>
      ) : null}
      {turn.keywordOnly && (
        <p className="answer-meta">
          <span className="badge badge-warning">Keyword search only</span> the search model was still loading;
          meaning-based search joins in a moment.
        </p>
      )}
      {turn.status === 'retrieving' && <Working>Searching your documents…</Working>}
      {turn.table && (
        <PartBoundary what="The table's answer">
          <Suspense fallback={<Working>Opening the table…</Working>}>
            <TableAnswerView answer={turn.table} turnId={turn.id} />
          </Suspense>
        </PartBoundary>
      )}
      {turn.declined ? (
        <div className="declined">
          <p className="declined-title">
            <BookX size={18} aria-hidden /> {declinedTitle(turn.declined.reason)}
          </p>
          <p className="muted">{declinedDetail(turn.declined.reason)}</p>
          {/* Only where the picker narrowed it: a question that names its document would be narrowed again. */}
          {!!turn.askedIn?.length &&
            !turn.classified?.scope.documents.length &&
            declinedInScope(turn.declined.reason) && <AskEverywhere question={turn.question} />}
          {turn.passages.length > 0 && (
            <details className="closest">
              <summary>Closest passages, probably not it ({turn.passages.length})</summary>
              <Passages
                passages={turn.passages}
                query={query}
                turnId={turn.id}
                label="Closest passages, probably not it"
              />
            </details>
          )}
        </div>
      ) : (
        <>
          {turn.extract && (
            <blockquote className="extract" aria-busy={turn.extractProvisional && turn.status === 'answering'}>
              <Quote size={16} aria-hidden className="extract-icon" />
              <p>
                {plain(turn.extract.text)}
                <Chips sentence={turn.extract} turnId={turn.id} />
              </p>
            </blockquote>
          )}
          {turn.checked ? (
            <CheckedAnswer turn={turn} />
          ) : (
            turn.answer && (
              <WrittenAnswer
                markdown={turn.answer}
                sources={turn.passages.length}
                turnId={turn.id}
                streaming={streaming}
              />
            )
          )}
          {streaming && !turn.answer && (
            <Working>
              Writing an answer from {turn.passages.length} {turn.passages.length === 1 ? 'passage' : 'passages'}…
            </Working>
          )}
        </>
      )}
      {nothingFound && (
        <p className="answer-empty">
          <TriangleAlert size={16} aria-hidden /> Nothing in your documents matched this question. Try other words, or
          add the document that has the answer.
        </p>
      )}
      {turn.status === 'stopped' && (
        <p className="answer-meta stopped">
          <CircleStop size={14} aria-hidden /> Stopped.
        </p>
      )}
      {turn.status === 'error' && (
        <div className="callout callout-danger" role="alert">
          <AlertCircle size={18} aria-hidden />
          <div className="callout-body">
            <p>
              <MessageText text={turn.error ?? ''} />
            </p>
            {turn.fallbackModel && onSwitchEngine && (
              <div className="callout-actions">
                <button
                  type="button"
                  className="btn btn-sm"
                  onClick={() => onSwitchEngine(`webllm:${turn.fallbackModel}`)}
                >
                  Switch to {turn.fallbackModel}
                </button>
              </div>
            )}
          </div>
        </div>
      )}
      {!turn.declined && turn.passages.length > 0 && (
        <div className="sources-section">
          <h3 className="caps-label">Sources</h3>
          <Passages passages={turn.passages} query={query} turnId={turn.id} quotes={quotesOf(turn)} />
        </div>
      )}
    </div>
  );
}

/** Declined inside collections: the same question in all documents, one click. */
function AskEverywhere({ question }: { question: string }) {
  const actions = useWholeActions();
  if (!actions?.askEverywhere) return null;
  return (
    <p>
      <button
        type="button"
        className="btn btn-soft btn-sm"
        disabled={!actions.idle}
        onClick={() => actions.askEverywhere?.(question)}
      >
        <Search size={14} aria-hidden /> Search all documents
      </button>
    </p>
  );
}
