import { AlertTriangle, FolderSync, KeyRound, MoreHorizontal, RefreshCw, Unlink } from 'lucide-react';
import { useState } from 'react';
import type { FolderView } from '../../client/folders';
import { Dialog } from '../ui/Dialog';
import { Menu, MenuItem, MenuSeparator } from '../ui/Menu';
import { count, counted } from '../ui/format';
import type { LinkedFoldersApi } from './useLinkedFolders';
import './library.css';

function statusLine(f: FolderView): string {
  const docs = counted(f.documents, 'document');
  switch (f.status.state) {
    case 'syncing':
      return f.status.total
        ? `Syncing · ${count(f.status.done)} of ${counted(f.status.total, 'file')}`
        : 'Checking for changes…';
    case 'needs-permission':
      return `${docs} · needs your permission`;
    case 'unavailable':
    case 'error':
      return `${docs} · cannot be read now`;
    case 'ready':
      return `${docs} · ${f.watching === 'observer' ? 'kept in sync' : 'checked every few minutes'}`;
  }
}

/** The linked folders, each with its state; a folder Folio may no longer read asks to be reconnected. */
export function LinkedFolderList({ api }: { api: LinkedFoldersApi }) {
  const [unlinking, setUnlinking] = useState<FolderView | null>(null);
  if (!api.folders.length) return null;
  return (
    <section className="sidebar-section" aria-labelledby="folders-heading">
      <h2 id="folders-heading" className="section-title caps-label">
        Linked folders
      </h2>
      <ul className="doc-list" aria-label="Linked folders">
        {api.folders.map((f) => (
          <li key={f.id} className="folder-item">
            <div className="doc-row">
              <span className="doc-icon" aria-hidden>
                <FolderSync size={15} />
              </span>
              <div className="doc-main">
                <span className="doc-name one-line" title={f.name}>
                  {f.name}
                </span>
                <small className="doc-meta one-line">{statusLine(f)}</small>
              </div>
              <Menu
                label={`Actions for folder ${f.name}`}
                trigger={
                  <button
                    type="button"
                    className="icon-btn icon-btn-sm doc-menu"
                    aria-label={`Actions for folder ${f.name}`}
                  >
                    <MoreHorizontal size={16} aria-hidden />
                  </button>
                }
              >
                <MenuItem
                  icon={<RefreshCw size={16} aria-hidden />}
                  onSelect={() => api.syncNow(f.id)}
                  disabled={f.status.state === 'syncing' || f.status.state === 'needs-permission'}
                >
                  Check for changes
                </MenuItem>
                <MenuSeparator />
                <MenuItem icon={<Unlink size={16} aria-hidden />} danger onSelect={() => setUnlinking(f)}>
                  Unlink…
                </MenuItem>
              </Menu>
            </div>
            {!!f.lastSync?.notIndexed.length && (
              <details className="folder-skipped">
                <summary>{counted(f.lastSync.notIndexed.length, 'file')} not indexed</summary>
                <ul>
                  {f.lastSync.notIndexed.map((n) => (
                    <li key={n.path}>
                      {n.path}: {n.reason}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {f.status.state === 'needs-permission' && (
              <div role="alert" className="callout callout-warning folder-callout">
                <KeyRound size={16} aria-hidden />
                <div className="callout-body">
                  <p>
                    Folio needs your permission to read “{f.name}” again. Its {counted(f.documents, 'document')} stay in
                    your library meanwhile, and nothing of it is removed.
                  </p>
                  <div className="callout-actions">
                    <button type="button" className="btn btn-sm btn-primary" onClick={() => api.reconnect(f.id)}>
                      Reconnect folder
                    </button>
                  </div>
                </div>
              </div>
            )}
            {(f.status.state === 'unavailable' || f.status.state === 'error') && (
              <div role="status" className="callout callout-warning folder-callout">
                <AlertTriangle size={16} aria-hidden />
                <div className="callout-body">
                  <p>{f.status.reason}</p>
                </div>
              </div>
            )}
          </li>
        ))}
      </ul>
      <Dialog
        open={!!unlinking}
        onOpenChange={(o) => !o && setUnlinking(null)}
        title={`Unlink ${unlinking?.name ?? ''}?`}
        description="Folio stops watching this folder. Its files on your computer are not touched."
        footer={
          <>
            <button type="button" className="btn" onClick={() => setUnlinking(null)} data-autofocus>
              Cancel
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                if (unlinking) void api.unlink(unlinking.id, false);
                setUnlinking(null);
              }}
            >
              Keep its documents
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => {
                if (unlinking) void api.unlink(unlinking.id, true);
                setUnlinking(null);
              }}
            >
              Remove its {counted(unlinking?.documents ?? 0, 'document')}
            </button>
          </>
        }
      />
    </section>
  );
}
