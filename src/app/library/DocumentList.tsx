import { Eye, MoreHorizontal, RefreshCw, Search, Trash2 } from 'lucide-react';
import { memo, useDeferredValue, useState } from 'react';
import type { CollectionInfo, DocumentRecord } from '../../core';
import { ConfirmDialog } from '../ui/Dialog';
import { Menu, MenuItem, MenuSeparator } from '../ui/Menu';
import { count, counted } from '../ui/format';
import { DocIcon, typeLabel } from './DocIcon';
import { DocumentCollections } from './DocumentCollections';
import './library.css';

type Toggle = (collectionId: string, docId: string, member: boolean) => void;

/** Rows rendered at once; a bookshelf of documents is filtered or shown in full on request. */
const PAGE = 100;

export function documentMeta(d: DocumentRecord): string {
  return [
    typeLabel(d.type),
    d.pageCount ? counted(d.pageCount, 'page') : '',
    counted(d.chunkCount, 'passage'),
    // A large table is searchable by its words at once; search by meaning covers it as its vectors come.
    d.vectorCount !== undefined
      ? `searchable; meanings being added, ${count(d.vectorCount)} of ${count(d.chunkCount)}`
      : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * A document's title, where it tells more than its file's name ("2302.07302v1.pdf" is "CiteSee:
 * Augmenting Citations…"); none where the title is the name again.
 */
function shownTitle(d: DocumentRecord): string | undefined {
  const flat = (s: string) =>
    s
      .toLowerCase()
      .replace(/\.[a-z0-9]{1,5}$/, '')
      .replace(/[^\p{L}\p{N}]+/gu, '');
  return d.title && flat(d.title) !== flat(d.name.split('/').pop()!) ? d.title : undefined;
}

/** One row; memoised, so progress elsewhere does not re-render a library of rows. */
const DocumentRow = memo(function DocumentRow({
  d,
  onShow,
  onReindex,
  onRemove,
  collections,
  onToggleCollection,
}: {
  d: DocumentRecord;
  onShow: (d: DocumentRecord) => void;
  onReindex: (d: DocumentRecord) => void;
  onRemove: (d: DocumentRecord) => void;
  collections: CollectionInfo[] | undefined;
  onToggleCollection: Toggle | undefined;
}) {
  // A document that came with a library file leaves only with that file's collection.
  const lockedBy = collections?.find((c) => c.readOnly && d.collections?.includes(c.id));
  const title = shownTitle(d);
  return (
    <li className="doc-row">
      <DocIcon type={d.type} />
      <div className="doc-main">
        {/* The whole row opens the document (the button's area is stretched over it in CSS). */}
        <button
          type="button"
          className="doc-name one-line doc-open"
          onClick={() => onShow(d)}
          title={title ? `${d.name} — ${title}` : d.name}
          aria-describedby={title ? `doc-title-${d.id} doc-meta-${d.id}` : `doc-meta-${d.id}`}
        >
          {d.name}
        </button>
        {title && (
          <small className="doc-title one-line" id={`doc-title-${d.id}`}>
            {title}
          </small>
        )}
        <small className="doc-meta one-line" id={`doc-meta-${d.id}`}>
          {documentMeta(d)}
          {d.status !== 'ready' && <span className="badge badge-warning">Indexing</span>}
        </small>
      </div>
      <Menu
        label={`Actions for ${d.name}`}
        trigger={
          <button type="button" className="icon-btn icon-btn-sm doc-menu" aria-label={`Actions for ${d.name}`}>
            <MoreHorizontal size={16} aria-hidden />
          </button>
        }
      >
        <MenuItem icon={<Eye size={16} aria-hidden />} onSelect={() => onShow(d)}>
          Show
        </MenuItem>
        <MenuItem icon={<RefreshCw size={16} aria-hidden />} onSelect={() => onReindex(d)}>
          Re-index
        </MenuItem>
        {collections && onToggleCollection && (
          <DocumentCollections doc={d} collections={collections} onToggle={onToggleCollection} />
        )}
        <MenuSeparator />
        <MenuItem icon={<Trash2 size={16} aria-hidden />} danger onSelect={() => onRemove(d)} disabled={!!lockedBy}>
          {lockedBy ? `Remove (comes with “${lockedBy.name}”)` : 'Remove…'}
        </MenuItem>
      </Menu>
    </li>
  );
});

interface Props {
  documents: DocumentRecord[];
  onShow: (d: DocumentRecord) => void;
  onReindex: (d: DocumentRecord) => void;
  onRemove: (d: DocumentRecord) => void;
  /** The library's collections, for each document's Collections submenu. */
  collections?: CollectionInfo[];
  onToggleCollection?: Toggle;
}

export function DocumentList({ documents, onShow, onReindex, onRemove, collections, onToggleCollection }: Props) {
  const [filter, setFilter] = useState('');
  const [showAll, setShowAll] = useState(false);
  const [confirm, setConfirm] = useState<DocumentRecord | null>(null);
  const query = useDeferredValue(filter.trim().toLowerCase());
  const matching = query
    ? documents.filter((d) => d.name.toLowerCase().includes(query) || d.title?.toLowerCase().includes(query))
    : documents;
  const shown = showAll ? matching : matching.slice(0, PAGE);
  return (
    <>
      {documents.length > 10 && (
        <div className="doc-filter">
          <Search size={14} aria-hidden />
          <input
            className="input"
            type="search"
            aria-label="Find a document"
            placeholder="Find a document"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <small aria-live="polite">
            {count(matching.length)} of {count(documents.length)}
          </small>
        </div>
      )}
      <ul className="doc-list" aria-label="Documents">
        {shown.map((d) => (
          <DocumentRow
            key={d.id}
            d={d}
            onShow={onShow}
            onReindex={onReindex}
            onRemove={setConfirm}
            collections={collections}
            onToggleCollection={onToggleCollection}
          />
        ))}
      </ul>
      {shown.length < matching.length && (
        <button type="button" className="btn btn-ghost btn-sm show-all" onClick={() => setShowAll(true)}>
          Show all {count(matching.length)} documents
        </button>
      )}
      <ConfirmDialog
        open={!!confirm}
        onCancel={() => setConfirm(null)}
        title={`Remove ${confirm?.name ?? ''}?`}
        description="Its passages and the stored file are deleted from this browser. Answers that cited it keep their quotes. You can undo this for a few seconds."
        confirm="Remove"
        icon={<Trash2 size={16} aria-hidden />}
        onConfirm={() => confirm && onRemove(confirm)}
      />
    </>
  );
}
