/**
 * The UI thread's handle on the core Library, which lives in a Web Worker: the same calls, all
 * asynchronous (the type is derived from the Library class, see core/host.ts). Callbacks given
 * as arguments cross the thread boundary as Comlink proxies.
 */
import * as Comlink from 'comlink';
import type {
  AskEvent,
  DownloadProgress,
  HostAskOptions,
  HostGenerate,
  LibraryEvent,
  LibraryHost,
  OpenedInfo,
  RemoteLibrary,
  WorkerOpenOptions,
} from '../core';

export type { RemoteLibrary } from '../core';

export async function openLibraryInWorker(
  opts: WorkerOpenOptions = {},
  onDownload?: (p: DownloadProgress) => void,
  onEvent?: (e: LibraryEvent) => void,
): Promise<RemoteLibrary> {
  const worker = new Worker(new URL('../workers/library.worker.ts', import.meta.url), {
    type: 'module',
    name: 'folio-library',
  });
  const host = Comlink.wrap<LibraryHost>(worker);
  const proxied = <T>(arg: T): T => (typeof arg === 'function' ? Comlink.proxy(arg) : arg);
  let info: OpenedInfo;
  let methods: string[];
  try {
    info = await host.open(opts, proxied(onDownload), proxied(onEvent));
    methods = await host.libraryMethods();
  } catch (err) {
    worker.terminate();
    throw err;
  }
  const library = host.library as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const remote: Record<string, unknown> = Object.fromEntries(
    methods.map((m) => [
      m,
      (...args: unknown[]) =>
        opts.name === null
          ? Promise.reject(new Error(`${m}: this worker was opened without a library (name: null)`))
          : library[m]!(...args.map(proxied)),
    ]),
  );
  Object.assign(remote, {
    info,
    embed: (texts: string[], kind: 'query' | 'passage') => host.embed(texts, kind),
    ask: (id: string, question: string, o: HostAskOptions, onEvent: (e: AskEvent) => void, generate?: HostGenerate) =>
      host.ask(id, question, o, Comlink.proxy(onEvent), generate ? Comlink.proxy(generate) : undefined),
    stopAsk: (id: string) => host.stopAsk(id),
    modelInfo: async () => (remote.info = await host.modelInfo()),
    async close() {
      await host.close().catch(() => {});
      host[Comlink.releaseProxy]();
      worker.terminate();
    },
  });
  return remote as unknown as RemoteLibrary;
}
