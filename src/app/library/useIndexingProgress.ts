import { useCallback, useRef, useState } from 'react';
import type { AddOutcome, DocumentRecord, IndexProgress } from '../../core';

/** Progress as the library reports it; newer libraries may add where it runs and the time left. */
export type FileProgress = IndexProgress & { device?: string; secondsLeft?: number };

/**
 * What is being indexed, file by file, and what came of it (the files not added). `stored` hears
 * of each document as soon as it is stored, so the library lists it before its batch ends.
 */
export function useIndexingProgress(stored: (docs: DocumentRecord[]) => void) {
  const [fileProgress, setFileProgress] = useState<Record<string, FileProgress>>({});
  const [outcomes, setOutcomes] = useState<AddOutcome[]>([]);

  /** Lists files at once as being read, before the library (maybe still opening) takes them. */
  const showReading = useCallback(
    (files: File[]) =>
      setFileProgress((fp) => ({
        ...fp,
        ...Object.fromEntries(
          files.map((f, i) => [
            f.name,
            { file: f.name, fileIndex: i, fileCount: files.length, stage: 'reading' as const },
          ]),
        ),
      })),
    [],
  );

  // Progress arrives per file and stage (thousands of events for a big folder); the UI takes it at
  // most ten times a second. Each batch stops listening when it ends: progress travels on its own
  // message channel, so a last event can arrive after the batch's result and must not revive it.
  const pending = useRef(new Map<string, FileProgress>());
  const flushTimer = useRef(0);
  // Kept apart from the per-name progress: two files of one name may finish in the same tick.
  const storedSinceFlush = useRef<DocumentRecord[]>([]);
  const progressFor = useCallback(
    (names: Set<string>) => {
      let open = true;
      const onProgress = (p: FileProgress) => {
        if (!open) return;
        pending.current.set(p.file, p);
        if (p.document) storedSinceFlush.current.push(p.document);
        // A timer, not requestAnimationFrame: frames stop in a background tab, progress must not.
        flushTimer.current ||= window.setTimeout(() => {
          flushTimer.current = 0;
          const batch = pending.current;
          pending.current = new Map();
          setFileProgress((fp) => ({ ...fp, ...Object.fromEntries(batch) }));
          const docs = storedSinceFlush.current;
          storedSinceFlush.current = [];
          if (docs.length) stored(docs);
        }, 100);
      };
      const close = () => {
        open = false;
        for (const name of names) pending.current.delete(name);
        setFileProgress((fp) => Object.fromEntries(Object.entries(fp).filter(([name]) => !names.has(name))));
      };
      return { onProgress, close };
    },
    [stored],
  );

  const dismissOutcome = useCallback((o: AddOutcome) => setOutcomes((os) => os.filter((x) => x !== o)), []);

  return { fileProgress, showReading, progressFor, outcomes, setOutcomes, dismissOutcome };
}
