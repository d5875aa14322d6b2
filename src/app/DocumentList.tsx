import { useDeferredValue, useState } from 'react';
import { formatBytes, type DocumentRecord } from '../core';

/** Rows rendered at once; a bookshelf of documents is filtered or shown in full on request. */
const PAGE = 100;

export function DocumentList({ documents, onReindex, onDelete }: { documents: DocumentRecord[]; onReindex: (d: DocumentRecord) => void; onDelete: (d: DocumentRecord) => void }) {
  const [filter, setFilter] = useState('');
  const [showAll, setShowAll] = useState(false);
  const query = useDeferredValue(filter.trim().toLowerCase());
  const matching = query ? documents.filter((d) => d.name.toLowerCase().includes(query)) : documents;
  const shown = showAll ? matching : matching.slice(0, PAGE);
  return (
    <>
      {documents.length > 10 && (
        <label className="filter">
          Find a document <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />{' '}
          <small>
            {matching.length.toLocaleString()} of {documents.length.toLocaleString()}
          </small>
        </label>
      )}
      <ul className="documents">
        {shown.map((d) => (
          <li key={d.id}>
            <span>{d.name}</span>{' '}
            <small>
              {d.type.toUpperCase()} · {formatBytes(d.size)}
              {d.pageCount ? ` · ${d.pageCount} pages` : ''} · {d.chunkCount} passages
            </small>{' '}
            <button type="button" onClick={() => onReindex(d)} aria-label={`Re-index ${d.name}`}>
              Re-index
            </button>{' '}
            <button type="button" onClick={() => onDelete(d)} aria-label={`Delete ${d.name}`}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      {shown.length < matching.length && (
        <button type="button" onClick={() => setShowAll(true)}>
          Show all {matching.length.toLocaleString()} documents
        </button>
      )}
    </>
  );
}
