import { Check, Copy } from 'lucide-react';
import { memo, useEffect, useState } from 'react';
import { Tooltip } from '../ui/Tooltip';
import { AnswerView } from './AnswerView';
import type { Turn } from './conversationStore';
import { loadMarkdown } from './exportLoader';
import { AlternativeOffer } from './whole/AlternativeOffer';
import './conversation.css';

function CopyButton({ turn }: { turn: Turn }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  // Fetched ahead; a failure here is met again, and said, on the click.
  useEffect(() => void loadMarkdown().catch(() => undefined), []);
  const copy = async () => {
    let done: 'copied' | 'failed' = 'copied';
    try {
      const { turnMarkdown } = await loadMarkdown();
      await navigator.clipboard.writeText(turnMarkdown(turn));
    } catch {
      done = 'failed';
    }
    setState(done);
    setTimeout(() => setState('idle'), done === 'failed' ? 4000 : 1500);
  };
  return (
    <Tooltip
      content={
        state === 'copied'
          ? 'Copied'
          : state === 'failed'
            ? 'The browser did not allow copying: select the text instead'
            : 'Copy the answer and its sources as Markdown'
      }
    >
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => void copy()}>
        {state === 'copied' ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Not copied' : 'Copy'}
      </button>
    </Tooltip>
  );
}

/** One question and its answer. Memoised: a streamed token re-renders only its own turn. */
export const TurnView = memo(function TurnView({
  turn,
  engineName,
  onSwitchEngine,
}: {
  turn: Turn;
  engineName?: string;
  onSwitchEngine?: (id: string) => void;
}) {
  const settled = turn.status === 'done' || turn.status === 'stopped';
  return (
    <article className="turn" aria-labelledby={`q-${turn.id}`} data-turn-id={turn.id} data-status={turn.status}>
      <h2 className="question" id={`q-${turn.id}`}>
        {turn.question}
      </h2>
      <AnswerView turn={turn} {...(onSwitchEngine ? { onSwitchEngine } : {})} />
      <AlternativeOffer turn={turn} />
      {settled && (turn.passages.length > 0 || turn.answer || turn.table?.status === 'computed') && (
        <div className="turn-actions">
          <CopyButton turn={turn} />
          <span className="turn-meta">
            {[
              engineName,
              turn.ms !== undefined ? `${turn.ms < 1000 ? `${turn.ms} ms` : `${(turn.ms / 1000).toFixed(1)} s`}` : '',
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        </div>
      )}
    </article>
  );
});
