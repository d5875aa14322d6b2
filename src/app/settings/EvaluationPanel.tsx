import { useState } from 'react';
import { parseEvalSet, serializeEvalSet, type EvalQuestion, type EvalReport } from '../../core';
import { keyOf } from '../ui/keys';
import './settings.css';

const EXAMPLE: EvalQuestion[] = [
  { question: 'Who patented the typewriter?', document: 'report.pdf', passage: 'Patented in 1868' },
];

const percent = (x: number) => `${Math.round(x * 100)}%`;

/**
 * "Is it finding the right things in MY documents?": the user lists questions with the document
 * (and optionally the passage) that should be found; the panel shows hit@k and MRR, and for each
 * miss what was found instead.
 */
export function EvaluationPanel({
  evaluate,
  disabled,
}: {
  evaluate: (qs: EvalQuestion[], k: number) => Promise<EvalReport>;
  disabled: boolean;
}) {
  const [source, setSource] = useState(() => serializeEvalSet(EXAMPLE));
  const [k, setK] = useState(5);
  const [report, setReport] = useState<EvalReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    setError(null);
    try {
      const { questions } = parseEvalSet(source);
      setRunning(true);
      setReport(await evaluate(questions, k));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setRunning(false);
    }
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    try {
      parseEvalSet(text);
      setSource(text);
      setError(null);
    } catch (err) {
      setError(`${file.name}: ${(err as Error).message}`);
    }
  };

  const exportFile = () => {
    let body: string;
    try {
      body = serializeEvalSet(parseEvalSet(source).questions);
    } catch (err) {
      return setError((err as Error).message);
    }
    const url = URL.createObjectURL(new Blob([body], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'folio-questions.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <section aria-label="Check retrieval" className="evaluation">
      <p className="muted">
        List questions with the document (and, if you like, the passage) that should be found. Folio shows how often it
        finds them.
      </p>
      <textarea
        className="textarea mono"
        aria-label="Questions (JSON)"
        value={source}
        onChange={(e) => setSource(e.target.value)}
        rows={8}
        spellCheck={false}
      />
      <div className="row">
        <label>
          Results to check (k){' '}
          <input
            className="input input-number"
            type="number"
            min={1}
            max={50}
            value={k}
            onChange={(e) => setK(Math.max(1, Math.min(50, Number(e.target.value) || 5)))}
          />
        </label>
        <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={disabled || running}>
          {running ? 'Checking…' : 'Run check'}
        </button>
        <label className="btn file-button">
          Import questions
          <input type="file" accept="application/json,.json" onChange={(e) => void importFile(e.target.files?.[0])} />
        </label>
        <button type="button" className="btn" onClick={exportFile}>
          Export questions
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {report && (
        <section aria-label="Check results">
          <p role="status">
            Found {report.results.filter((r) => r.rank).length} of {report.results.length} · hit@{report.k}:{' '}
            <strong data-metric="hit">{percent(report.hitRate)}</strong> · MRR:{' '}
            <strong data-metric="mrr">{report.mrr.toFixed(2)}</strong>
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col">Expected</th>
                <th scope="col">Rank</th>
              </tr>
            </thead>
            <tbody>
              {report.results.map((r) => (
                <tr key={keyOf(r)} className={r.rank ? 'hit' : 'miss'}>
                  <td>{r.question}</td>
                  <td>{r.document}</td>
                  <td>
                    {r.rank ?? (
                      <details>
                        <summary>missed</summary>
                        <ol>
                          {r.found.map((f) => (
                            <li key={keyOf(f)}>
                              <cite>{f.docName}</cite>: {f.text.slice(0, 200)}
                              {f.text.length > 200 ? '…' : ''}
                            </li>
                          ))}
                        </ol>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
