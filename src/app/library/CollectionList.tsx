import { FolderOpen, Globe, Library, Lock, MoreHorizontal, Pencil, Plus, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { formatBytes, type CollectionInfo, type DocumentRecord } from '../../core';
import { Dialog } from '../ui/Dialog';
import { Menu, MenuItem, MenuSeparator } from '../ui/Menu';
import { count, counted } from '../ui/format';
import type { CollectionsApi } from './useCollections';
import './collections.css';
import './library.css';

const meta = (documents: number, bytes: number) => `${counted(documents, 'document')} · ${formatBytes(bytes)}`;

/**
 * The collections in the library: "All documents" and each collection with its count and size.
 * Choosing one shows its documents and makes it where questions are asked; each has Rename and
 * Delete (asked once, documents kept unless asked otherwise) in its ⋯ menu.
 */
export function CollectionList({ api, documents }: { api: CollectionsApi; documents: DocumentRecord[] }) {
  const { collections, scope, setScope, activity } = api;
  const [naming, setNaming] = useState<{ id?: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<CollectionInfo | null>(null);
  if (!collections.length && !activity) {
    return (
      <div className="collections-empty">
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setNaming({ name: '' })}>
          <Plus size={14} aria-hidden />
          New collection
        </button>
        <NameDialog naming={naming} onClose={() => setNaming(null)} api={api} />
      </div>
    );
  }
  const allBytes = documents.reduce((n, d) => n + (d.storedBytes ?? 0), 0);
  return (
    <section className="sidebar-section collections" aria-labelledby="collections-heading">
      <div className="section-head">
        <h2 id="collections-heading" className="section-title caps-label">
          Collections <span className="count">{count(collections.length)}</span>
        </h2>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setNaming({ name: '' })}>
          <Plus size={14} aria-hidden />
          New
        </button>
      </div>
      {activity && (
        <div role="status" className="collection-activity">
          <span>
            {activity.label}
            {activity.total > 0 &&
              (activity.unit === 'bytes'
                ? `: ${formatBytes(activity.done)} of ${formatBytes(activity.total)}`
                : `: ${activity.done} of ${activity.total} documents`)}
          </span>
          <progress
            className="bar"
            value={activity.total ? activity.done : undefined}
            max={activity.total || 1}
            aria-label={activity.label}
          />
        </div>
      )}
      <ul className="collection-list" aria-label="Collections">
        <li className={scope === null ? 'collection-row current' : 'collection-row'}>
          <button
            type="button"
            className="collection-open"
            aria-current={scope === null ? 'true' : undefined}
            onClick={() => setScope(null)}
          >
            <Library size={14} aria-hidden />
            <span className="collection-name">All documents</span>
            <small className="collection-meta">{meta(documents.length, allBytes)}</small>
          </button>
        </li>
        {collections.map((c) => {
          const current = scope?.length === 1 && scope[0] === c.id;
          return (
            <li key={c.id} className={current ? 'collection-row current' : 'collection-row'}>
              <button
                type="button"
                className="collection-open"
                aria-current={current ? 'true' : undefined}
                onClick={() => setScope([c.id])}
              >
                {c.readOnly ? (
                  c.source?.url ? (
                    <Globe size={14} aria-hidden />
                  ) : (
                    <Lock size={14} aria-hidden />
                  )
                ) : (
                  <FolderOpen size={14} aria-hidden />
                )}
                <span className="collection-name">{c.name}</span>
                <small className="collection-meta">{meta(c.documents, c.bytes)}</small>
              </button>
              <Menu
                label={`Actions for collection ${c.name}`}
                trigger={
                  <button
                    type="button"
                    className="icon-btn icon-btn-sm"
                    aria-label={`Actions for collection ${c.name}`}
                  >
                    <MoreHorizontal size={16} aria-hidden />
                  </button>
                }
              >
                <MenuItem
                  icon={<Pencil size={16} aria-hidden />}
                  onSelect={() => setNaming({ id: c.id, name: c.name })}
                >
                  Rename…
                </MenuItem>
                <MenuSeparator />
                <MenuItem icon={<Trash2 size={16} aria-hidden />} danger onSelect={() => setDeleting(c)}>
                  Delete…
                </MenuItem>
              </Menu>
            </li>
          );
        })}
      </ul>
      <NameDialog naming={naming} onClose={() => setNaming(null)} api={api} />
      <DeleteDialog collection={deleting} documents={documents} onClose={() => setDeleting(null)} api={api} />
    </section>
  );
}

/** New collection, or a new name for one. */
function NameDialog({
  naming,
  onClose,
  api,
}: {
  naming: { id?: string; name: string } | null;
  onClose: () => void;
  api: CollectionsApi;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get('name') ?? '');
    setBusy(true);
    try {
      if (naming?.id) await api.rename(naming.id, name);
      else api.setScope([(await api.create(name)).id]);
      setError(null);
      onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setError(null);
    onClose();
  };
  return (
    <Dialog
      open={!!naming}
      onOpenChange={(o) => !o && close()}
      title={naming?.id ? 'Rename collection' : 'New collection'}
    >
      <form className="collection-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">Name</span>
          <input
            className="input"
            name="name"
            defaultValue={naming?.name ?? ''}
            // The one thing this dialog asks for: typing starts at once (a rename's old name selected).
            data-autofocus
            onFocus={(e) => e.currentTarget.select()}
            maxLength={120}
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'collection-name-error' : undefined}
          />
        </label>
        {error && (
          <p id="collection-name-error" className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="collection-form-actions">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {naming?.id ? 'Rename' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Delete, asked once: documents stay in the library unless the box is ticked. */
function DeleteDialog({
  collection,
  documents,
  onClose,
  api,
}: {
  collection: CollectionInfo | null;
  documents: DocumentRecord[];
  onClose: () => void;
  api: CollectionsApi;
}) {
  const [withDocuments, setWithDocuments] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const only = collection
    ? documents.filter((d) => d.collections?.length === 1 && d.collections[0] === collection.id).length
    : 0;
  const close = () => {
    setWithDocuments(false);
    setError(null);
    onClose();
  };
  const confirm = async () => {
    if (!collection) return;
    try {
      await api.remove(collection.id, withDocuments || !!collection.readOnly);
      close();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog
      open={!!collection}
      onOpenChange={(o) => !o && close()}
      title={`Delete ${collection?.name ?? ''}?`}
      description={
        collection?.readOnly
          ? `It came from a library file: its ${counted(only, 'document')} found nowhere else are deleted with it.`
          : `The collection goes; its ${counted(collection?.documents ?? 0, 'document')} stay in your library unless you tick the box.`
      }
      footer={
        <>
          <button type="button" className="btn" onClick={close} data-autofocus>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={() => void confirm()}>
            <Trash2 size={16} aria-hidden />
            Delete
          </button>
        </>
      }
    >
      {!collection?.readOnly && only > 0 && (
        <label className="checkbox">
          <input type="checkbox" checked={withDocuments} onChange={(e) => setWithDocuments(e.target.checked)} />
          <span>Also delete its {counted(only, 'document')} that are in no other collection</span>
        </label>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
