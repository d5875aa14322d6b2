import type { PendingProgress, PendingRecord } from '../store/schema';
import type { LibraryStore } from '../store/store';
import type { LockManagerLike } from './locks';

/** A file of a batch being added, as written down before indexing starts. */
export interface PendingFile {
  name: string;
  data: Blob | Uint8Array;
  size: number;
  /** Collections the file goes into once stored (kept with it, so a resumed batch still does). */
  collections?: string[];
}

export interface InterruptedFile {
  id: string;
  name: string;
  size: number;
  addedAt: number;
}

/** What the indexing pipeline may do with the batch it works on. */
export interface BatchHandle {
  /** The file's outcome is known (stored, duplicate, failed, cancelled): it is not pending any more. */
  crossOff(fileIndex: number): void;
  /** Keeps the vectors of the file's passages embedded so far, so a closed tab resumes from there. */
  saveProgress(fileIndex: number, progress: PendingProgress): Promise<void>;
  /** What an interrupted run of this file kept (when resuming). */
  savedProgress(fileIndex: number): PendingProgress | undefined;
}

const lockName = (batch: string) => `folio-batch:${batch}`;

/** The batch could not be written down (e.g. the disk is full); nothing was indexed. */
export class BatchNotRecorded extends Error {
  constructor(cause: unknown) {
    super('the files to add could not be recorded', { cause });
  }
}

/**
 * Batches survive the tab. Each batch is written to `pending` before indexing starts, and each file
 * is crossed off when its outcome is known; while a tab works on a batch it holds a Web Lock named
 * after it, which the browser releases when the tab closes or crashes.
 *
 * The lock is taken before the batch is written and let go only after its last file is crossed
 * off, so pending records of a live batch always have their lock held, and a finished batch has
 * no records left. Another tab decides "interrupted" while holding the batch's lock itself (asked
 * without waiting): records still there then belong to no live tab.
 */
export class Recovery {
  constructor(
    private readonly store: LibraryStore,
    private readonly locks: LockManagerLike,
  ) {}

  /**
   * Runs `work` over `files` as one recorded batch. Rejects without running it if the batch cannot
   * be written down (e.g. the disk is full). `ids` and `progress` carry over from an interrupted
   * batch being resumed.
   */
  run<T>(files: PendingFile[], work: (batch: BatchHandle) => Promise<T>, resumed?: PendingRecord[]): Promise<T> {
    const batch = crypto.randomUUID();
    const ids = resumed?.map((r) => r.id) ?? files.map(() => crypto.randomUUID());
    return this.locks.request(lockName(batch), async () => {
      const now = Date.now();
      const records = files.map((f, i) => ({
        id: ids[i]!,
        batch,
        name: f.name,
        data: f.data,
        size: f.size,
        addedAt: resumed?.[i]?.addedAt ?? now,
        position: i,
        ...(f.collections?.length ? { collections: f.collections } : {}),
        ...(resumed?.[i]?.progress ? { progress: resumed[i]!.progress } : {}),
      }));
      await this.store.putPending(records).catch((err: unknown) => {
        throw new BatchNotRecorded(err);
      });
      // Crossed off in as few transactions as possible: ids that finish while one removal is being
      // written go together in the next (a 1,000-file drop is not 1,000 transactions). A removal
      // that fails leaves its files listed as interrupted; resuming them finds them stored.
      const finished: string[] = [];
      let crossing: Promise<void> = Promise.resolve();
      const handle: BatchHandle = {
        crossOff: (i) => {
          finished.push(ids[i]!);
          crossing = crossing
            .then(() => (finished.length ? this.store.removePending(finished.splice(0)) : undefined))
            .catch(() => {});
        },
        saveProgress: (i, progress) => this.store.setPendingProgress(ids[i]!, progress),
        savedProgress: (i) => resumed?.[i]?.progress,
      };
      try {
        return await work(handle);
      } finally {
        await crossing;
      }
    });
  }

  /** Files whose adding was interrupted (tab closed or crashed), oldest first. */
  listInterrupted(): Promise<InterruptedFile[]> {
    return this.withInterrupted(async (records) =>
      records.map(({ id, name, size, addedAt }) => ({ id, name, size, addedAt })),
    );
  }

  async discardInterrupted(): Promise<void> {
    await this.withInterrupted((records) => this.store.removePending(records.map((r) => r.id)));
  }

  /**
   * Runs `use` over the interrupted files while holding their batches' locks, so no other tab
   * resumes or discards the same files meanwhile.
   */
  withInterrupted<T>(use: (records: PendingRecord[]) => Promise<T>): Promise<T> {
    const collect = async (batches: string[], free: Set<string>): Promise<T> => {
      const [next, ...rest] = batches;
      if (next === undefined) {
        // Read again now that the locks are ours: a batch that finished meanwhile is gone.
        const records = (await this.store.listPending()).filter((p) => free.has(p.batch));
        return use(records.sort((a, b) => a.addedAt - b.addedAt || a.position - b.position));
      }
      return this.locks.request(lockName(next), { ifAvailable: true }, (lock) =>
        collect(rest, lock ? new Set([...free, next]) : free),
      );
    };
    return this.store.listPending().then((pending) => collect([...new Set(pending.map((p) => p.batch))], new Set()));
  }

  /**
   * Resolves once no tab holds any batch that is pending now: each either finished (its files are
   * crossed off) or its tab went away (they are interrupted). A tab just closed may still be
   * letting go of its lock when the next page opens; this is when to look again.
   */
  async pendingSettled(): Promise<void> {
    const batches = new Set((await this.store.listPending()).map((p) => p.batch));
    await Promise.all([...batches].map((b) => this.locks.request(lockName(b), async () => {})));
  }
}
