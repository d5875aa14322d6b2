import { AlertCircle, BookX, CircleCheck, CircleDashed, Quote, Search, Square, TriangleAlert } from 'lucide-react';
import type { ReactNode } from 'react';
import type { CheckedSentence } from '../../core';
import { Tooltip } from '../ui/Tooltip';
import type { Turn } from './conversationStore';
import { Citation, Passages } from './Passages';
import { WrittenAnswer } from './WrittenAnswer';

/** Sentence text without the [n] markers and Markdown emphasis (its citations are drawn as chips). */
const plain = (s: string) => s.replace(/\s*\[\d{1,3}\]/g, '').replace(/(\*\*|__|`)/g, '').trim();

function Chips({ sentence, turnId, index }: { sentence: CheckedSentence; turnId: string; index?: number }) {
  return (
    <>
      {sentence.citations.map((n) => (
        <span key={n} data-sentence={index}>
          {' '}
          <Citation n={n} turnId={turnId} />
        </span>
      ))}
    </>
  );
}

/** A written answer checked sentence by sentence: supported ones calm, unsupported ones marked. */
function CheckedAnswer({ turn }: { turn: Turn }) {
  const checked = turn.checked!;
  return (
    <div className="answer-text checked">
      <p>
        {checked.sentences.map((s, i) =>
          s.support ? (
            <span key={i} className="sentence" data-sentence={i}>
              {plain(s.text)}
              <Chips sentence={s} turnId={turn.id} index={i} />{' '}
            </span>
          ) : (
            <span key={i}>
              <Tooltip content="Not found in your documents">
                <span className="sentence unsupported" data-sentence={i}>
                  {plain(s.text)}
                  <span className="visually-hidden"> (not found in your documents)</span>
                </span>
              </Tooltip>
              <Chips sentence={s} turnId={turn.id} index={i} />{' '}
            </span>
          ),
        )}
      </p>
      <p className={checked.supported === checked.total ? 'support-line all' : 'support-line'}>
        {checked.supported === checked.total ? <CircleCheck size={14} aria-hidden /> : <CircleDashed size={14} aria-hidden />}
        {checked.supported} of {checked.total} {checked.total === 1 ? 'sentence' : 'sentences'} supported by your documents
      </p>
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
  const query = turn.searchedFor ?? turn.question;
  const streaming = turn.status === 'answering';
  const nothingFound = (turn.status === 'done' || turn.status === 'stopped') && !turn.passages.length && !turn.answer && !turn.declined;
  return (
    <div className="answer">
      {turn.searchedFor && (
        <p className="answer-meta">
          <Search size={13} aria-hidden /> Searched: {turn.searchedFor}
        </p>
      )}
      {turn.keywordOnly && (
        <p className="answer-meta">
          <span className="badge badge-warning">Keyword search only</span> the search model was still loading; meaning-based search joins in a moment.
        </p>
      )}
      {turn.status === 'retrieving' && <Working>Searching your documents…</Working>}
      {turn.declined ? (
        <div className="declined">
          <p className="declined-title">
            <BookX size={18} aria-hidden /> Not in your documents
          </p>
          <p className="muted">{turn.declined.reason}</p>
          {turn.passages.length > 0 && (
            <details className="closest">
              <summary>
                Closest passages ({turn.passages.length})
              </summary>
              <Passages passages={turn.passages} query={query} turnId={turn.id} label="Closest passages" />
            </details>
          )}
        </div>
      ) : (
        <>
          {turn.extract && (
            <blockquote className="extract">
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
            turn.answer && <WrittenAnswer markdown={turn.answer} sources={turn.passages.length} turnId={turn.id} streaming={streaming} />
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
          <TriangleAlert size={16} aria-hidden /> Nothing in your documents matched this question. Try other words, or add the document that has the answer.
        </p>
      )}
      {turn.status === 'stopped' && (
        <p className="answer-meta stopped">
          <Square size={12} aria-hidden /> Stopped.
        </p>
      )}
      {turn.status === 'error' && (
        <div className="callout callout-danger" role="alert">
          <AlertCircle size={18} aria-hidden />
          <div className="callout-body">
            <p>{turn.error}</p>
            {turn.fallbackModel && onSwitchEngine && (
              <div className="callout-actions">
                <button type="button" className="btn btn-sm" onClick={() => onSwitchEngine(`webllm:${turn.fallbackModel}`)}>
                  Switch to {turn.fallbackModel}
                </button>
              </div>
            )}
          </div>
        </div>
      )}
      {!turn.declined && turn.passages.length > 0 && (
        <div className="sources-section">
          <h3 className="sources-title">Sources</h3>
          <Passages passages={turn.passages} query={query} turnId={turn.id} />
        </div>
      )}
    </div>
  );
}
