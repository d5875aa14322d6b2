import { useEffect, useRef } from 'react';

/** The File Handling API's launch queue (Chromium; not yet in TypeScript's DOM types). */
interface LaunchQueue {
  setConsumer(consumer: (params: { files: readonly FileSystemHandle[] }) => void): void;
}

/**
 * Files opened with the installed app from the system ("Open with Folio", or a double-click on a
 * type the manifest's `file_handlers` registers) arrive through `window.launchQueue`: they are
 * added as dropped files are. Browsers without it, and launches without files, do nothing.
 */
export function useLaunchedFiles(onFiles: (files: File[]) => void): void {
  const handler = useRef(onFiles);
  handler.current = onFiles;
  useEffect(() => {
    const queue = (window as { launchQueue?: LaunchQueue }).launchQueue;
    queue?.setConsumer((params) => {
      const handles = params.files.filter((h): h is FileSystemFileHandle => h.kind === 'file');
      if (!handles.length) return;
      void Promise.all(handles.map((h) => h.getFile())).then((files) => handler.current(files));
    });
  }, []);
}
