import { passageText } from '../chunk/chunker';
import type { DocumentRecord } from '../store/store';
import type { Cancellation } from './cancel';
import type { LockManagerLike } from './locks';
import type { LibraryParts } from './parts';

/**
 * Passages embedded per step. Each step is stored with the document's new count in one
 * transaction, so a closed tab or a crash loses at most the step in hand; the same grain as a
 * large file's saved progress while it is added (indexing.ts).
 */
const FILL_SLICE = 64;
/** Passages per embedding call: between calls a question asked meanwhile goes first. */
const FILL_BATCH = 8;
/**
 * After a search starts, filling waits this long since the last one. An answer makes several calls
 * in a row, seconds apart under load; with 5 s a fill batch slipped in between each of them and a
 * first answer took 216 s in the browser at load 25–29 (docs/tables.md, "Large tables").
 */
export const FILL_QUIET_MS = 30_000;

export interface VectorFillOptions {
  /** Web Lock held while filling: one tab of a library fills at a time. */
  lockName: string;
  locks: LockManagerLike;
  /** Adding files: filling waits while a batch runs, so new files become searchable first. */
  adding: Cancellation;
  /** When a search last started (performance.now()): the embedder and the thread are its first. */
  lastAsked: () => number;
  /** How long after it filling waits (FILL_QUIET_MS). */
  quietMs: number;
  /** A step was stored (the document's `vectorCount` moved on). */
  onStep: () => void;
}

/**
 * Adds the vectors of documents stored without them — a large table, searchable by keywords and
 * computed over as soon as it is stored (see `defersVectors` in indexing.ts) — in the background.
 * It resumes from what is stored (`vectorCount`), so a reopened library carries on where a closed
 * or crashed tab stopped. A document removed or replaced meanwhile is left at once: its step in
 * hand is aborted, and a step that was already embedded is not stored (the transaction finds the
 * document gone).
 */
export class VectorFill {
  private running: Promise<void> | undefined;
  private again = false;
  private readonly stopped = new AbortController();
  /** The document being filled and the controller that abandons it. */
  private current: { id: string; controller: AbortController } | undefined;
  /** Documents whose passages the embedder refused this session: left keyword-searchable, not retried in a loop. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly parts: LibraryParts,
    private readonly opts: VectorFillOptions,
  ) {}

  /** Fills whatever is unfilled; resolves when nothing is left (or the library closes). */
  start(): Promise<void> {
    if (this.stopped.signal.aborted) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = this.run().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /** The document is being removed: its step in hand is dropped. */
  forget(id: string): void {
    if (this.current?.id === id) this.current.controller.abort();
  }

  stop(): void {
    this.stopped.abort();
    this.current?.controller.abort();
  }

  private next(): DocumentRecord | undefined {
    return this.parts.state.unfilled().find((d) => !this.failed.has(d.id));
  }

  private async run(): Promise<void> {
    if (!this.next()) return;
    // The model and the stored vectors first: a step is added to the index that loading builds.
    await Promise.all([this.parts.embedder.whenReady?.(), this.parts.state.vectorsReady]).catch(() => {});
    do {
      this.again = false;
      await this.opts.locks.request(this.opts.lockName, () =>
        // Closed: the lock goes at once (as a closed tab's does), whatever step is in hand.
        Promise.race([this.fillAll(), whenAborted(this.stopped.signal)]),
      );
    } while (this.again && !this.stopped.signal.aborted);
  }

  /** Waits until no search has started for `quietMs` (a question is answered before the next batch). */
  private async quiet(signal: AbortSignal): Promise<void> {
    const quiet = this.opts.quietMs;
    for (let wait = quiet - (performance.now() - this.opts.lastAsked()); wait > 0 && !signal.aborted; ) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = quiet - (performance.now() - this.opts.lastAsked());
    }
    signal.throwIfAborted();
  }

  private async fillAll(): Promise<void> {
    for (let doc = this.next(); doc && !this.stopped.signal.aborted; doc = this.next()) await this.fill(doc);
  }

  private async fill(doc: DocumentRecord): Promise<void> {
    const stored = await this.parts.store.getDocument(doc.id).catch(() => undefined);
    if (!stored || stored.hash !== doc.hash) {
      // Gone from the store (another tab removed it): memory follows.
      await this.parts.state.reload();
      return;
    }
    if (stored.vectorCount !== doc.vectorCount) {
      // Another tab (which held the lock before) added vectors this one has not read yet.
      await this.parts.state.reload();
      if (this.parts.state.docs.get(doc.id)?.vectorCount === doc.vectorCount) this.failed.add(doc.id);
      return;
    }
    const chunks = await this.parts.store.getChunks(doc.id);
    const passages = chunks.map((c) => passageText(c.text, c.location.headings));
    const controller = new AbortController();
    this.current = { id: doc.id, controller };
    const signal = AbortSignal.any([controller.signal, this.stopped.signal]);
    try {
      for (let done = doc.vectorCount ?? passages.length; done < passages.length; ) {
        await this.opts.adding.idle();
        if (signal.aborted || !this.parts.state.docs.has(doc.id)) return;
        const slice = passages.slice(done, done + FILL_SLICE);
        const dims = this.parts.embedder.model.dimensions;
        const vectors = new Float32Array(slice.length * dims);
        for (let b = 0; b < slice.length; b += FILL_BATCH) {
          await this.quiet(signal);
          const part = slice.slice(b, b + FILL_BATCH);
          vectors.set(await this.parts.embedder.embed(part, 'passage', undefined, signal), b * dims);
        }
        if (!(await this.parts.state.addVectors(doc.id, done, vectors))) return;
        done += slice.length;
        this.opts.onStep();
      }
      // Other tabs read the whole document's vectors once, not a step at a time.
      this.parts.announce();
    } catch {
      // Refused by the embedder, or the store failed: the document stays as it is stored,
      // searchable by keywords, until the library is opened again.
      if (!signal.aborted) this.failed.add(doc.id);
    } finally {
      this.current = undefined;
    }
  }
}

const whenAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
