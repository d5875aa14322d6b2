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

/**
 * What the share sheet sent (see public/share-target.js): the service worker keeps the files and
 * text in the `folio-shared` cache and opens /?shared=1; they are taken out once, here, and the
 * address goes back to /. Text that came with files is the question to ask about them.
 */
export function useSharedFiles(onShared: (files: File[], text: string) => void): void {
  const handler = useRef(onShared);
  handler.current = onShared;
  useEffect(() => {
    if (!new URLSearchParams(location.search).has('shared') || !('caches' in window)) return;
    history.replaceState(null, '', '/');
    void (async () => {
      const cache = await caches.open('folio-shared');
      const files: File[] = [];
      let text = '';
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        if (!response) continue;
        const where = new URL(request.url).pathname;
        const name = decodeURIComponent(where.split('/').pop() ?? '');
        if (where === '/shared/text') text = await response.text();
        else
          files.push(
            new File([await response.blob()], name, {
              type: response.headers.get('content-type') ?? '',
              lastModified: Number(response.headers.get('x-last-modified')) || Date.now(),
            }),
          );
      }
      await caches.delete('folio-shared');
      if (files.length || text) handler.current(files, text);
    })();
  }, []);
}
