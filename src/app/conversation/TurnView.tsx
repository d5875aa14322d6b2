import { Check, Copy } from 'lucide-react';
import { memo, useState } from 'react';
import { Tooltip } from '../ui/Tooltip';
import { AnswerView } from './AnswerView';
import type { Turn } from './conversationStore';
import { AlternativeOffer } from './whole/AlternativeOffer';
import './conversation.css';

function CopyButton({ turn }: { turn: Turn }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    // Markdown is made only when asked for: its code is not in the page's first download.
    const { turnMarkdown } = await import('./exportMarkdown');
    await navigator.clipboard.writeText(turnMarkdown(turn));
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <Tooltip content={copied ? 'Copied' : 'Copy the answer and its sources as Markdown'}>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => void copy()}>
        {copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
        {copied ? 'Copied' : 'Copy'}
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
