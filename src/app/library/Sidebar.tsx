import { Plus, X } from 'lucide-react';
import type { ReactNode } from 'react';
import type { AddOutcome, DocumentRecord } from '../../core';
import { count } from '../ui/format';
import { CollectionList } from './CollectionList';
import { Logo } from '../ui/Logo';
import { DocumentList } from './DocumentList';
import { IndexingProgress } from './IndexingProgress';
import { OutcomeAlerts } from './OutcomeAlerts';
import { StorageMeter } from './StorageMeter';
import { scopeLabel } from './ScopePicker';
import type { CollectionsApi } from './useCollections';
import type { FileProgress } from './useIndexingProgress';
import './library.css';

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
  /** "Link a folder", under "Add documents", and the linked folders, above the documents. */
  linkFolder?: ReactNode;
  folders?: ReactNode;
  /** In a drawer: closes it. */
  onClose?: () => void;
  /** Collections: listed above the documents, which then show the chosen collection's. */
  collections?: CollectionsApi;
}

/** The library: add and drop, documents with their state, conversations, storage. */
export function Sidebar(p: Props) {
  const adding = Object.values(p.fileProgress);
  const scope = p.collections?.scope ?? null;
  const documents = scope ? p.documents.filter((d) => d.collections?.some((c) => scope.includes(c))) : p.documents;
  const heading = scope && p.collections ? `Documents in ${scopeLabel(scope, p.collections.collections)}` : 'Documents';
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
        <label
          className={
            p.disabled ? 'btn btn-soft file-button add-button disabled' : 'btn btn-soft file-button add-button'
          }
          title={p.disabled ?? undefined}
        >
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
        {p.linkFolder}
      </div>
      {p.reembedding && (
        <div role="status" className="reembed">
          Re-embedding your library for the new model:{' '}
          <progress
            className="bar"
            value={p.reembedding.done}
            max={p.reembedding.total || 1}
            aria-label="Re-embedding"
          />{' '}
          {p.reembedding.done} of {p.reembedding.total} documents
        </div>
      )}
      <OutcomeAlerts outcomes={p.outcomes} onDismiss={p.onDismissOutcome} />
      <div className="sidebar-scroll">
        {p.folders}
        {p.collections && <CollectionList api={p.collections} documents={p.documents} />}
        <section className="sidebar-section" aria-labelledby="documents-heading">
          <h2 id="documents-heading" className="section-title caps-label">
            {heading} {documents.length > 0 && <span className="count">{count(documents.length)}</span>}
          </h2>
          <IndexingProgress files={adding} {...(p.device ? { device: p.device } : {})} onCancel={p.onCancelAdding} />
          {documents.length === 0 && !adding.length ? (
            <p className="sidebar-empty">
              {p.opening
                ? 'Opening your library…'
                : scope
                  ? 'No documents in this collection yet: add files while it is chosen, or use a document’s ⋯ menu.'
                  : 'No documents yet. Add PDFs, Word files, web pages, Markdown or text.'}
            </p>
          ) : (
            <DocumentList
              documents={documents}
              onShow={p.onShow}
              onReindex={p.onReindex}
              onRemove={p.onRemove}
              {...(p.collections
                ? { collections: p.collections.collections, onToggleCollection: p.collections.setMember }
                : {})}
            />
          )}
        </section>
      </div>
      {p.conversations}
      <StorageMeter storage={p.storage} />
    </div>
  );
}
