import { DownloadCloud, UploadCloud } from 'lucide-react';
import { useState } from 'react';
import { Dialog } from '../ui/Dialog';
import './settings.css';

/**
 * Backup and restore of everything Folio keeps (documents, passages, vectors, keyword index,
 * conversations, settings) as one file, e.g. to move to another browser or computer.
 */
export function BackupDialog({
  open,
  onOpenChange,
  onExport,
  onImport,
  disabled,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onExport: () => Promise<Blob>;
  onImport: (file: File) => Promise<string>;
  disabled: string | null;
}) {
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
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Backup and restore"
      description="One file with your documents, passages, search index, conversations and settings. It is not encrypted: keep it somewhere private."
    >
      <div className="backup-actions">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void save()}
          disabled={!!disabled}
          title={disabled ?? undefined}
        >
          <DownloadCloud size={16} aria-hidden />
          Back up library
        </button>
        <label className={disabled ? 'btn file-button disabled' : 'btn file-button'} title={disabled ?? undefined}>
          <UploadCloud size={16} aria-hidden />
          Restore from backup
          <input
            type="file"
            accept=".folio"
            disabled={!!disabled}
            onChange={(e) =>
              e.target.files?.[0] && void run(() => onImport(e.target.files![0]!)).finally(() => (e.target.value = ''))
            }
          />
        </label>
      </div>
      <p className="field-help">
        Restoring adds what the file has and this browser lacks; documents and conversations already here are kept,
        never doubled.
      </p>
      {disabled && <p className="field-help">{disabled}</p>}
      {status && (
        <p role={status.error ? 'alert' : 'status'} className={status.error ? 'backup-status error' : 'backup-status'}>
          {status.text}
        </p>
      )}
    </Dialog>
  );
}
