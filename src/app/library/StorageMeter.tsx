import { HardDrive } from 'lucide-react';
import { formatBytes } from '../../core';
import './library.css';

/** How much this browser keeps for Folio, and whether the browser may clear it under pressure. */
export function StorageMeter({ storage }: { storage: { usage: number; quota: number; persisted?: boolean } | null }) {
  if (!storage) return null;
  const share = storage.quota ? storage.usage / storage.quota : 0;
  return (
    <section className="storage" aria-label="Storage">
      <div className="storage-line">
        <HardDrive size={14} aria-hidden />
        <span>
          {formatBytes(storage.usage)} used{storage.quota ? ` of ${formatBytes(storage.quota)}` : ''}
        </span>
      </div>
      {storage.quota > 0 && (
        <progress className="bar" value={Math.max(share, 0.01)} max={1} aria-label="Storage used" />
      )}
      {storage.persisted !== undefined && (
        <small className="storage-note">
          {storage.persisted ? 'Kept until you delete it' : 'The browser may clear it if the disk runs low on space'}
        </small>
      )}
    </section>
  );
}
