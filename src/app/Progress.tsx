import { useRef } from 'react';
import { formatBytes } from '../core';

/** Bytes, percent and time left for a download, from how fast it has gone so far. */
export function DownloadProgress({ label, loaded, total }: { label: string; loaded: number; total: number }) {
  const start = useRef<{ t: number; bytes: number } | null>(null);
  start.current ??= { t: performance.now(), bytes: loaded };
  const elapsed = (performance.now() - start.current.t) / 1000;
  const rate = elapsed > 0.5 ? (loaded - start.current.bytes) / elapsed : 0;
  const left = rate > 0 && total > loaded ? Math.ceil((total - loaded) / rate) : null;
  const percent = total ? Math.round((100 * loaded) / total) : 0;
  return (
    <div className="download">
      <progress value={loaded} max={total || 1} aria-label={label} />
      <span>
        {label}: {formatBytes(loaded)}
        {total ? ` of ${formatBytes(total)} (${percent}%)` : ''}
        {left !== null ? ` · about ${left < 60 ? `${left} s` : `${Math.ceil(left / 60)} min`} left` : ''}
      </span>
    </div>
  );
}
