import { Plus, X } from 'lucide-react';
import type { ReactNode } from 'react';
import type { AddOutcome, DocumentRecord } from '../../core';
import { count } from '../ui/format';
import { Logo } from '../ui/Logo';
import { DocumentList } from './DocumentList';
import { IndexingProgress } from './IndexingProgress';
import { OutcomeAlerts } from './OutcomeAlerts';
import { StorageMeter } from './StorageMeter';
import type { FileProgress } from './useLibrary';

interface Props {
  documents: DocumentRecord[];
  fileProgress: Record<string, FileProgress>;
  device?: string;
  outcomes: AddOutcome[];
  storage: { usage: number; quota: number; persisted?: boolean } | null;
  reembedding: { done: number; total: number } | null;
  /** The library is still opening (its documents are not known yet). */
  opening: boolean;
  disabled: string | null;
  onAdd: (files: File[]) => void;
  onCancelAdding: () => void;
  onDismissOutcome: (o: AddOutcome) => void;
  onShow: (d: DocumentRecord) => void;
  onReindex: (d: DocumentRecord) => void;
  onRemove: (d: DocumentRecord) => void;
  /** The app menu (settings, backup, tools, theme). */
  menu: ReactNode;
  /** The conversations list, below the documents. */
  conversations: ReactNode;
  /** In a drawer: closes it. */
  onClose?: () => void;
}

/** The library: add and drop, documents with their state, conversations, storage. */
export function Sidebar(p: Props) {
  const adding = Object.values(p.fileProgress);
  return (
    <div className="sidebar">
      <div className="sidebar-head">
        <Logo size={26} />
        <span className="brand">Folio</span>
        <span className="sidebar-head-actions">
          {p.menu}
          {p.onClose && (
            <button type="button" className="icon-btn" aria-label="Close library" onClick={p.onClose}>
              <X size={18} aria-hidden />
            </button>
          )}
        </span>
      </div>
      <div className="sidebar-add">
        <label className={p.disabled ? 'btn btn-soft file-button add-button disabled' : 'btn btn-soft file-button add-button'} title={p.disabled ?? undefined}>
          <Plus size={16} aria-hidden />
          Add documents
          <input
            type="file"
            multiple
            disabled={!!p.disabled}
            onChange={(e) => {
              p.onAdd([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
        </label>
        <small className="sidebar-hint">{p.disabled ?? 'or drop files and folders anywhere, or paste'}</small>
      </div>
      {p.reembedding && (
        <div role="status" className="reembed">
          Re-embedding your library for the new model: <progress className="bar" value={p.reembedding.done} max={p.reembedding.total || 1} aria-label="Re-embedding" /> {p.reembedding.done} of{' '}
          {p.reembedding.total} documents
        </div>
      )}
      <OutcomeAlerts outcomes={p.outcomes} onDismiss={p.onDismissOutcome} />
      <div className="sidebar-scroll">
        <section className="sidebar-section" aria-labelledby="documents-heading">
          <h2 id="documents-heading" className="section-title">
            Documents {p.documents.length > 0 && <span className="count">{count(p.documents.length)}</span>}
          </h2>
          <IndexingProgress files={adding} {...(p.device ? { device: p.device } : {})} onCancel={p.onCancelAdding} />
          {p.documents.length === 0 && !adding.length ? (
            <p className="sidebar-empty">{p.opening ? 'Opening your library…' : 'No documents yet. Add PDFs, Word files, web pages, Markdown or text.'}</p>
          ) : (
            <DocumentList documents={p.documents} onShow={p.onShow} onReindex={p.onReindex} onRemove={p.onRemove} />
          )}
        </section>
      </div>
      {p.conversations}
      <StorageMeter storage={p.storage} />
    </div>
  );
}
