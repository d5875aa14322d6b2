import { useState } from 'react';

/**
 * Backup and restore of everything Folio keeps (documents, passages, vectors, keyword index,
 * conversation, settings) as one file, e.g. to move to another browser or computer.
 */
export function BackupPanel({ onExport, onImport, disabled }: { onExport: () => Promise<Blob>; onImport: (file: File) => Promise<string>; disabled: boolean }) {
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const run = async (work: () => Promise<string>) => {
    setStatus({ text: 'Working…' });
    try {
      setStatus({ text: await work() });
    } catch (err) {
      setStatus({ text: (err as Error).message, error: true });
    }
  };
  const save = () =>
    run(async () => {
      const blob = await onExport();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `folio-backup-${new Date().toISOString().slice(0, 10)}.folio`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
      return `Backup saved (${(blob.size / 2 ** 20).toFixed(1)} MB).`;
    });
  return (
    <details className="settings">
      <summary>Backup</summary>
      <p className="note">One file with your documents, passages, search index, conversation and settings. It is not encrypted: keep it somewhere private.</p>
      <button type="button" onClick={() => void save()} disabled={disabled}>
        Back up library
      </button>{' '}
      <label className="file-button">
        Restore from backup
        <input type="file" accept=".folio" disabled={disabled} onChange={(e) => e.target.files?.[0] && void run(() => onImport(e.target.files![0]!))} />
      </label>
      {status && (
        <p role={status.error ? 'alert' : 'status'} className={status.error ? 'error' : undefined}>
          {status.text}
        </p>
      )}
    </details>
  );
}
