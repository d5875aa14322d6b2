import fs from 'node:fs';
import path from 'node:path';
import type { KnownFile } from '../core';
import { writeBlob } from './libraryFile';

/**
 * What `folio index` keeps beside its output while it works (`<out>.partial/`), so an interrupted
 * run continues where it stopped. Files are indexed in groups; each finished group is one backup
 * file in `parts/` (written whole, then renamed into place) and one line in `journal.jsonl`
 * (appended after the part is on disk). A group is saved completely or not at all: a run killed
 * mid-group redoes that group only, and nothing saved is ever embedded again.
 */

/** Settings that must not change between the runs that make one library. */
export interface IndexConfig {
  model: string;
  maxTokens?: number;
  overlapTokens?: number;
  maxFileBytes: number;
  /** Files per group. Part of the config because groups decide which passages are embedded together. */
  batch: number;
}

/** One input file's outcome, as saved. */
export interface SavedFile {
  /** Absolute path: the file's identity across runs. */
  key: string;
  /** The document's name in the library. */
  name: string;
  size: number;
  lastModified: number;
  hash?: string;
  /** Set when the file became a document (in this group's part). */
  documentId?: string;
  chunks?: number;
  /** Set when its content was already in the library under that name. */
  duplicateOf?: string;
  error?: { code: string; reason: string };
}

interface ConfigLine extends IndexConfig {
  kind: 'config';
  version: 1;
}

interface GroupLine {
  kind: 'group';
  /** File name in parts/, when the group added documents. */
  part?: string;
  files: SavedFile[];
}

export class IndexState {
  private constructor(
    readonly dir: string,
    readonly groups: GroupLine[],
  ) {}

  static stateDir(out: string): string {
    return `${path.resolve(out)}.partial`;
  }

  /** Opens the state of an earlier run, or starts one. A run with other settings cannot continue it. */
  static async open(out: string, config: IndexConfig, opts: { restart?: boolean } = {}): Promise<IndexState> {
    const dir = IndexState.stateDir(out);
    if (opts.restart) await fs.promises.rm(dir, { recursive: true, force: true });
    const journal = path.join(dir, 'journal.jsonl');
    if (!fs.existsSync(journal)) {
      await fs.promises.mkdir(path.join(dir, 'parts'), { recursive: true });
      await fs.promises.writeFile(
        journal,
        `${JSON.stringify({ kind: 'config', version: 1, ...config } satisfies ConfigLine)}\n`,
      );
      return new IndexState(dir, []);
    }
    const lines = (await fs.promises.readFile(journal, 'utf8')).split('\n');
    const parsed: (ConfigLine | GroupLine)[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.trim()) continue;
      try {
        parsed.push(JSON.parse(lines[i]!) as ConfigLine | GroupLine);
      } catch (err) {
        // Only the last line can be torn (a run killed while appending it): that group is redone,
        // and the torn line goes, so the next line starts on a line of its own.
        if (lines.slice(i + 1).some((l) => l.trim()))
          throw new Error(`${journal} is damaged at line ${i + 1}; run again with --restart to start over`, {
            cause: err,
          });
        await fs.promises.writeFile(
          journal,
          lines
            .slice(0, i)
            .map((l) => `${l}\n`)
            .join(''),
        );
      }
    }
    const [head, ...rest] = parsed;
    if (head?.kind !== 'config')
      throw new Error(`${journal} is not a folio index journal; run again with --restart to start over`);
    const { kind: _kind, version: _version, ...saved } = head;
    const differs = (Object.keys({ ...saved, ...config }) as (keyof IndexConfig)[]).filter(
      (k) => saved[k] !== config[k],
    );
    if (differs.length) {
      throw new Error(
        `an earlier run with other settings (${differs.map((k) => `${k}: ${saved[k] ?? 'default'}`).join(', ')}) was interrupted here (${dir}); run it again with those settings to continue, or add --restart to start over`,
      );
    }
    return new IndexState(
      dir,
      rest.filter((l): l is GroupLine => l.kind === 'group'),
    );
  }

  /** Every saved file, last outcome per path. */
  saved(): Map<string, SavedFile> {
    return new Map(this.groups.flatMap((g) => g.files.map((f) => [f.key, f] as const)));
  }

  /** What earlier runs indexed, in the terms of a sync plan. */
  known(): (SavedFile & KnownFile)[] {
    return [...this.saved().values()].map((f) => ({ ...f, path: f.key }));
  }

  parts(): string[] {
    return this.groups.flatMap((g) => (g.part ? [path.join(this.dir, 'parts', g.part)] : []));
  }

  /** Saves one finished group: its part first, then the journal line that makes it count. */
  async saveGroup(files: SavedFile[], part: Blob | undefined): Promise<void> {
    let name: string | undefined;
    if (part) {
      name = `${String(this.groups.length + 1).padStart(6, '0')}.folio`;
      await writeBlob(path.join(this.dir, 'parts', name), part);
    }
    const line: GroupLine = { kind: 'group', ...(name ? { part: name } : {}), files };
    const handle = await fs.promises.open(path.join(this.dir, 'journal.jsonl'), 'a');
    try {
      await handle.write(`${JSON.stringify(line)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.groups.push(line);
  }

  async remove(): Promise<void> {
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }
}
