import { useState, type FormEvent } from 'react';
import type { SearchHit } from '../core';
import type { AddOutcome } from '../core';
import { formatBytes } from '../core/format';
import { EvaluationPanel } from './EvaluationPanel';
import { useLibrary } from './useLibrary';

export function citationLabel(hit: Pick<SearchHit, 'docName' | 'location'>): string {
  const parts = [hit.docName];
  if (hit.location.page) parts.push(`p. ${hit.location.page}${hit.location.pageEnd ? `–${hit.location.pageEnd}` : ''}`);
  const heading = hit.location.headings.at(-1);
  if (heading) parts.push(heading);
  return parts.join(', ');
}

export function App() {
  const { state, documents, progress, outcomes, addFiles, removeDocument, search, evaluate } = useLibrary();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);

  const onAsk = async (e: FormEvent) => {
    e.preventDefault();
    setHits(await search(query));
  };

  return (
    <main className="app">
      <header>
        <h1>Folio</h1>
        <p>Ask questions about your documents. Everything stays on this device.</p>
      </header>
      {state.phase === 'loading' && (
        <p role="status">
          Loading the embedding model{state.download?.total ? ` (${Math.round((100 * state.download.loaded) / state.download.total)}%)` : ''}…
        </p>
      )}
      {state.phase === 'error' && <p role="alert">Could not start: {state.message}</p>}
      <section aria-labelledby="docs-heading">
        <h2 id="docs-heading">Documents</h2>
        <label className="file-button">
          Add documents
          <input type="file" multiple disabled={state.phase === 'error'} onChange={(e) => void addFiles([...(e.target.files ?? [])])} />
        </label>
        {progress && (
          <p role="status">
            {progress.file}: {progress.stage}
            {progress.total ? ` ${progress.done}/${progress.total}` : ''}
          </p>
        )}
        {outcomes
          .filter((o): o is Exclude<AddOutcome, { status: 'added' }> => o.status !== 'added')
          .map((o) => (
            <p key={o.file} role="alert" className="error">
              {o.error.message}
            </p>
          ))}
        <ul className="documents">
          {documents.map((d) => (
            <li key={d.id}>
              <span>{d.name}</span> <small>{d.type.toUpperCase()} · {formatBytes(d.size)}{d.pageCount ? ` · ${d.pageCount} pages` : ''} · {d.chunkCount} passages</small>{' '}
              <button type="button" onClick={() => void removeDocument(d.id)} aria-label={`Delete ${d.name}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="ask-heading">
        <h2 id="ask-heading">Ask</h2>
        <form onSubmit={(e) => void onAsk(e)}>
          <textarea aria-label="Ask a question" value={query} onChange={(e) => setQuery(e.target.value)} rows={2} />
          <button type="submit" disabled={state.phase !== 'ready' || !query.trim()}>
            Send
          </button>
        </form>
        <ol className="hits">
          {hits.map((h) => (
            <li key={`${h.docId}:${h.chunkIndex}`}>
              <cite>{citationLabel(h)}</cite> <small>({h.score.toFixed(2)})</small>
              <p>{h.text}</p>
            </li>
          ))}
        </ol>
      </section>
      <EvaluationPanel evaluate={evaluate} disabled={state.phase !== 'ready'} />
    </main>
  );
}
