import { Braces, Calculator, CornerDownRight, Info, Table2 } from 'lucide-react';
import { useId, useState } from 'react';
import type { TableAnswer } from '../../../core';
import { tableLabel, requestFromTable, type ComputedTable } from './tableActions';
import './table.css';

/** Who read the question into the query: the rules, or the answer model (which the reader should check). */
function proposedBy(answer: ComputedTable): string | null {
  return answer.by === 'model'
    ? 'The answer model proposed this query; it was checked against the table and run.'
    : null;
}

function Computed({ answer, turnId }: { answer: ComputedTable; turnId: string }) {
  const [showQuery, setShowQuery] = useState(false);
  const queryId = useId();
  const rows = answer.rowCount;
  const by = proposedBy(answer);
  return (
    <div className="table-answer" data-table-answer="computed">
      <div className="table-answer-main">
        <p className="table-value">{answer.display}</p>
        <p className="table-computation">
          <Calculator size={14} aria-hidden className="table-computation-icon" />
          <span>{answer.computation}</span>
        </p>
      </div>
      {answer.reading && (
        <div className="table-reading">
          <Info size={14} aria-hidden />
          <div>
            <p>
              Read this way: {answer.reading.charAt(0).toUpperCase()}
              {answer.reading.slice(1)}
            </p>
            {answer.otherQuestions && (
              <ul className="table-other" aria-label="The other reading">
                {answer.otherQuestions.map((q) => (
                  <li key={q}>
                    <button
                      type="button"
                      className="table-other-question"
                      onClick={(e) => requestFromTable(e.currentTarget, { kind: 'ask', question: q })}
                    >
                      <CornerDownRight size={14} aria-hidden />
                      {q}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      {by && <p className="table-reading">{by}</p>}
      <div className="table-answer-actions">
        <button
          type="button"
          className="table-cite"
          data-table-cite={turnId}
          onClick={(e) => requestFromTable(e.currentTarget, { kind: 'rows', turnId })}
        >
          <Table2 size={14} aria-hidden />
          <span className="visually-hidden">Open the rows used: </span>
          <span className="one-line">{tableLabel(answer)}</span>{' '}
          <span className="table-cite-rows">
            {rows.toLocaleString('en-US')} {rows === 1 ? 'row' : 'rows'}
          </span>
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          aria-expanded={showQuery}
          aria-controls={queryId}
          onClick={() => setShowQuery(!showQuery)}
        >
          <Braces size={14} aria-hidden />
          {showQuery ? 'Hide the query' : 'Show the query'}
        </button>
      </div>
      {showQuery && (
        <pre className="table-query" id={queryId}>
          {JSON.stringify(answer.query, null, 2)}
        </pre>
      )}
    </div>
  );
}

/**
 * A question computed over a table (issue 24): the value, large, with the computation beside it,
 * the chip to the rows used and the query one click away. A table question that was not computed
 * shows why, as a note above the passages that follow it.
 */
export function TableAnswerView({ answer, turnId }: { answer: TableAnswer; turnId: string }) {
  if (answer.status === 'computed') return <Computed answer={answer} turnId={turnId} />;
  return (
    <p className="table-declined answer-meta" data-table-answer="declined">
      <Calculator size={14} aria-hidden />
      <span>
        <strong>Not computed.</strong> {answer.reason}
      </span>
    </p>
  );
}
