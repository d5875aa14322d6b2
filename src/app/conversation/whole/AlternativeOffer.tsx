import { ArrowRight } from 'lucide-react';
import type { Turn } from '../conversationStore';
import { useWholeActions } from './WholeActions';
import './whole.css';

/**
 * Under a lookup whose question could also be about the whole ("What is the Treaty about?"): the
 * other reading as one button ("Summarise the whole document instead?"), asked as a new turn.
 */
export function AlternativeOffer({ turn }: { turn: Turn }) {
  const actions = useWholeActions();
  const alt = turn.alternative;
  if (!alt || !actions || turn.kind !== 'lookup' || turn.status === 'retrieving' || turn.status === 'answering')
    return null;
  const scope = turn.classified?.scope ?? { level: 'library' as const, documents: [] };
  return (
    <div className="whole-offer">
      <button
        type="button"
        className="btn btn-soft btn-sm"
        disabled={!actions.idle}
        onClick={() => actions.ask(turn.question, { as: { kind: alt.kind, scope } })}
      >
        {alt.prompt.replace(/\?$/, '')}
        <ArrowRight size={14} aria-hidden />
      </button>
    </div>
  );
}
