import type { IndexProgress } from '../core';

const STAGE_LABEL: Record<string, string> = {
  reading: 'Reading…',
  parsing: 'Extracting text…',
  chunking: 'Splitting into passages…',
  embedding: 'Embedding',
  storing: 'Saving…',
  done: 'Added',
  duplicate: 'Already in your library',
  failed: 'Failed',
};

const FINISHED = new Set(['done', 'duplicate', 'failed']);
/** More rows than this would only scroll past: a big folder shows a summary and the files in work. */
const MAX_ROWS = 8;

/** Per-file progress while adding; for many files, "N of M done" and the ones being worked on. */
export function IndexingProgress({ files, onCancel }: { files: IndexProgress[]; onCancel: () => void }) {
  if (!files.length) return null;
  const finished = files.filter((p) => FINISHED.has(p.stage)).length;
  const rows = files.length > MAX_ROWS ? files.filter((p) => !FINISHED.has(p.stage) && p.stage !== 'reading').slice(0, MAX_ROWS) : files;
  return (
    <div className="indexing">
      {files.length > MAX_ROWS && (
        <p>
          <progress value={finished} max={files.length} aria-label="Files added" /> {finished.toLocaleString()} of {files.length.toLocaleString()} files done
        </p>
      )}
      <ul aria-label="Adding">
        {rows.map((p) => (
          <li key={p.file}>
            <span>{p.file}</span> <progress value={p.stage === 'embedding' ? (p.done ?? 0) : p.stage === 'storing' || p.stage === 'done' ? 1 : 0} max={p.stage === 'embedding' ? (p.total ?? 1) : 1} aria-label={`${p.file}: ${p.stage}`} />{' '}
            <small>
              {STAGE_LABEL[p.stage]}
              {p.stage === 'embedding' && p.total ? ` ${p.done ?? 0} of ${p.total} passages` : ''}
            </small>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onCancel}>
        Cancel adding
      </button>
    </div>
  );
}
