import { useEffect, useRef, useState } from 'react';

type Entry = {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?(ok: (f: File) => void, err: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (es: Entry[]) => void, err: (e: unknown) => void): void };
};

/** Every file under a dropped folder (readEntries returns at most 100 at a time, so it loops). */
async function filesOf(entry: Entry): Promise<File[]> {
  if (entry.isFile && entry.file) return [await new Promise<File>((ok, err) => entry.file!(ok, err))];
  if (!entry.isDirectory || !entry.createReader) return [];
  const reader = entry.createReader();
  const out: File[] = [];
  for (;;) {
    const batch = await new Promise<Entry[]>((ok, err) => reader.readEntries(ok, err));
    if (!batch.length) return out;
    for (const e of batch) out.push(...(await filesOf(e)));
  }
}

/**
 * The whole window takes dropped files and folders, and pasted files or text (text becomes a
 * "Pasted text" document). Returns whether something is being dragged over the window.
 */
export function useFileDrop(onFiles: (files: File[]) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const handler = useRef(onFiles);
  handler.current = onFiles;
  useEffect(() => {
    const onFiles = (files: File[]) => handler.current(files);
    let depth = 0;
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (!depth) setDragging(false);
    };
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = async (e: DragEvent) => {
      if (!e.dataTransfer) return;
      // Places that take a drop themselves (a model file onto the engines menu).
      if ((e.target as Element | null)?.closest?.('[data-own-drop]')) {
        depth = 0;
        return setDragging(false);
      }
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const entries = [...e.dataTransfer.items]
        .map((item) => (item.webkitGetAsEntry?.() as Entry | null | undefined) ?? null)
        .filter((x): x is Entry => !!x);
      const files = entries.length ? (await Promise.all(entries.map(filesOf))).flat() : [...e.dataTransfer.files];
      if (files.length) onFiles(files);
    };
    const paste = (e: ClipboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, [contenteditable="true"]')) return;
      const files = [...(e.clipboardData?.files ?? [])];
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (files.length) onFiles(files);
      else if (text.trim())
        onFiles([
          new File([text], `Pasted text ${new Date().toISOString().slice(0, 16).replace('T', ' ')}.txt`, {
            type: 'text/plain',
          }),
        ]);
      else return;
      e.preventDefault();
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    window.addEventListener('paste', paste);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
      window.removeEventListener('paste', paste);
    };
  }, []);
  return dragging;
}
