import { AlertCircle, Info, X } from 'lucide-react';
import type { AddOutcome } from '../../core';
import { keyOf } from '../ui/keys';
import './library.css';

/** Each file that was not added, by name and reason, until dismissed or the next batch. */
export function OutcomeAlerts({ outcomes, onDismiss }: { outcomes: AddOutcome[]; onDismiss: (o: AddOutcome) => void }) {
  const problems = outcomes.filter((o): o is Exclude<AddOutcome, { status: 'added' }> => o.status !== 'added');
  if (!problems.length) return null;
  return (
    <ul className="outcomes" aria-label="Files not added">
      {problems.map((o) => {
        // A file already there, or one the person chose to stop adding, is news, not a fault.
        const info = o.status === 'duplicate' || o.error.code === 'cancelled';
        return (
          <li key={keyOf(o)} className={info ? 'outcome outcome-info' : 'outcome'}>
            {info ? <Info size={16} aria-hidden /> : <AlertCircle size={16} aria-hidden />}
            <p role="alert">{o.error.message}</p>
            <button
              type="button"
              className="icon-btn icon-btn-sm"
              aria-label={`Dismiss: ${o.file}`}
              onClick={() => onDismiss(o)}
            >
              <X size={14} aria-hidden />
            </button>
          </li>
        );
      })}
    </ul>
  );
}
