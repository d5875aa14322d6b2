/**
 * A Generator on the UI thread over an answer model a worker hosts (the core's TransformersHost or
 * WllamaHost): Stop and abort reach the worker at once, and a stream's last pieces are never lost.
 * Each kind of engine (client/engines/) starts its own worker and wraps it with this.
 */
import * as Comlink from 'comlink';
import {
  type ChatMessage,
  type GenerateOptions,
  type Generator,
  linkedAbort,
  type RunStats,
  type TransformersWorkerApi,
} from '../core';

/** Rejects as soon as `signal` aborts (the caller then terminates the worker doing the work). */
export function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const link = linkedAbort(signal, () => reject(new DOMException('Cancelled', 'AbortError')));
    work.then(resolve, reject).finally(() => link.release());
  });
}

/** What a generator worker answers with: the calls the transformers.js and llama.cpp hosts share. */
type RemoteGeneratorApi = Pick<TransformersWorkerApi, 'countTokens' | 'generate' | 'interrupt'>;

/** A Generator over a generator worker's Comlink API: Stop and abort reach the worker at once. */
export function remoteGenerator(
  remote: RemoteGeneratorApi,
  info: { id: string; contextWindow: number },
  dispose: () => Promise<void>,
): Generator & { lastRun?: RunStats } {
  const generator: Generator & { lastRun?: RunStats } = {
    id: info.id,
    contextWindow: info.contextWindow,
    countTokens: (text) => remote.countTokens(text),
    async generate(messages: ChatMessage[], o: GenerateOptions = {}) {
      // An abort listener added to an already-aborted signal never fires: check first.
      if (o.signal?.aborted) return { text: '', finishReason: 'aborted' as const };
      const link = linkedAbort(o.signal, () => generator.interrupt());
      // The pieces come through their own MessageChannel (a Comlink proxy), the result through the
      // worker's: the result can overtake the last pieces, which were then lost from the answer.
      // The result carries the whole text, so what did not arrive is handed on from it, once.
      let streamed = '';
      let settled = false;
      const onToken = o.onToken;
      const piece = (t: string) => {
        if (settled) return;
        streamed += t;
        onToken?.(t);
      };
      try {
        const { tokens, firstTokenMs, ms, ...result } = await remote.generate(
          messages,
          {
            ...(o.maxNewTokens ? { maxNewTokens: o.maxNewTokens } : {}),
            ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
          },
          onToken ? Comlink.proxy(piece) : undefined,
        );
        settled = true;
        if (onToken && result.text.length > streamed.length && result.text.startsWith(streamed))
          onToken(result.text.slice(streamed.length));
        if (tokens !== undefined && ms !== undefined)
          generator.lastRun = { tokens, ms, ...(firstTokenMs !== undefined ? { firstTokenMs } : {}) };
        return result;
      } finally {
        settled = true;
        link.release();
      }
    },
    interrupt: () => {
      if (!disposed) void remote.interrupt();
    },
    // Once: the engines menu frees the engine it replaces, and the page may ask again; a second
    // call on Comlink's released proxy would throw.
    dispose: () => (disposed ??= dispose()),
  };
  let disposed: Promise<void> | undefined;
  return generator;
}
