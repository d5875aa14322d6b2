import { Loader2, X } from 'lucide-react';
import { useRef } from 'react';
import { count, counted } from '../ui/format';
import { DocIcon } from './DocIcon';
import type { FileProgress } from './useIndexingProgress';
import './library.css';

const STAGE_LABEL: Record<string, string> = {
  reading: 'Waiting…',
  parsing: 'Extracting text…',
  chunking: 'Splitting into passages…',
  embedding: 'Embedding',
  storing: 'Saving…',
  done: 'Added',
  duplicate: 'Already in your library',
  failed: 'Failed',
};

const FINISHED = new Set(['done', 'duplicate', 'failed']);

/**
 * The stages that count something besides passages: OCR's pages ("Recognising page 3 of 12", the
 * page being read; the library reports pages finished) and the OCR engine's first download.
 */
function stageCount(p: FileProgress): { text: string; value: number; max: number } | undefined {
  if (!p.total) return undefined;
  const done = p.done ?? 0;
  if (p.stage === 'recognising')
    return {
      text:
        p.total === 1
          ? 'Recognising the text…'
          : `Recognising page ${count(Math.min(done + 1, p.total))} of ${count(p.total)}`,
      value: done,
      max: p.total,
    };
  if (p.stage === 'ocr-download')
    return {
      text: `Downloading the text recogniser · ${Math.round((100 * done) / p.total)}%`,
      value: done,
      max: p.total,
    };
  return undefined;
}
/** More rows than this would only scroll past: a big folder shows a summary and the files in work. */
const MAX_ROWS = 8;

export const runsOnLabel = (device: string | undefined) =>
  device === 'webgpu' || device === 'gpu' ? 'graphics card' : device ? 'processor' : undefined;

export function secondsText(s: number): string {
  return s < 60
    ? `${Math.max(1, Math.round(s))} s`
    : s < 3600
      ? `${Math.round(s / 60)} min`
      : `${(s / 3600).toFixed(1)} h`;
}

/** Time left from how fast this file's embedding has gone so far, when the library does not say. */
function useTimeLeft() {
  const seen = useRef(new Map<string, { t: number; done: number }>());
  return (p: FileProgress): number | undefined => {
    if (p.secondsLeft !== undefined) return p.secondsLeft;
    if (p.stage !== 'embedding' || !p.total) return undefined;
    const now = performance.now();
    const first = seen.current.get(p.file);
    if (!first) {
      seen.current.set(p.file, { t: now, done: p.done ?? 0 });
      return undefined;
    }
    const rate = ((p.done ?? 0) - first.done) / ((now - first.t) / 1000);
    return rate > 0 && now - first.t > 1500 ? (p.total - (p.done ?? 0)) / rate : undefined;
  };
}

/**
 * Files being added, as rows at the top of the document list: stage, passages embedded, time left
 * and where it runs ("Embedding 320 of 961 passages · 40 s left · processor"). A big folder shows
 * a summary with the files in work.
 */
export function IndexingProgress({
  files,
  device,
  onCancel,
}: {
  files: FileProgress[];
  device?: string;
  onCancel: () => void;
}) {
  const timeLeft = useTimeLeft();
  if (!files.length) return null;
  const finished = files.filter((p) => FINISHED.has(p.stage)).length;
  const many = files.length > MAX_ROWS;
  const rows = many ? files.filter((p) => !FINISHED.has(p.stage) && p.stage !== 'reading').slice(0, MAX_ROWS) : files;
  return (
    <section className="indexing" aria-label="Adding documents">
      <div className="indexing-head">
        <span className="indexing-title">
          <Loader2 size={14} className="spin" aria-hidden />
          {many
            ? `${count(finished)} of ${counted(files.length, 'file')} done`
            : `Adding ${counted(files.length, 'file')}`}
        </span>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onCancel}>
          <X size={14} aria-hidden />
          Cancel adding
        </button>
      </div>
      {many && <progress className="bar" value={finished} max={files.length} aria-label="Files added" />}
      <ul aria-label="Adding" className="indexing-list">
        {rows.map((p) => {
          const left = timeLeft(p);
          const runsOn = runsOnLabel(p.device ?? device);
          const embedding = p.stage === 'embedding' && p.total;
          const staged = stageCount(p);
          const detail = [
            embedding
              ? `Embedding ${count(p.done ?? 0)} of ${counted(p.total!, 'passage')}`
              : (staged?.text ?? STAGE_LABEL[p.stage]),
            embedding && left !== undefined ? `${secondsText(left)} left` : '',
            embedding && runsOn ? runsOn : '',
          ]
            .filter(Boolean)
            .join(' · ');
          const ext = p.file.split('.').pop()?.toLowerCase() ?? '';
          return (
            <li key={p.file} className="doc-row doc-row-adding">
              <DocIcon type={ext === 'md' ? 'markdown' : ext === 'txt' ? 'text' : ext === 'htm' ? 'html' : ext} />
              <div className="doc-main">
                <span className="doc-name one-line" title={p.file}>
                  {p.file}
                </span>
                <small className="doc-meta one-line">{detail}</small>
                <progress
                  className="bar"
                  value={
                    embedding
                      ? (p.done ?? 0)
                      : staged
                        ? staged.value
                        : p.stage === 'storing' || FINISHED.has(p.stage)
                          ? 1
                          : undefined
                  }
                  max={embedding ? p.total : (staged?.max ?? 1)}
                  aria-label={`${p.file}: ${p.stage}`}
                />
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
