/**
 * Progress of `folio index` on stderr: a bar redrawn in place on a terminal, plain lines (one per
 * group of files) when stderr is a file or a pipe, so logs stay readable.
 */
export class Progress {
  private files = 0;
  private chunks = 0;
  private current = '';
  private drawn = false;
  private lastDraw = 0;
  private readonly started = performance.now();

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly total: number,
    /** Files already done by an earlier run. */
    private readonly already: number,
    private readonly tty = Boolean(out.isTTY),
  ) {
    this.files = already;
  }

  /** A file is being worked on. */
  working(name: string): void {
    this.current = name;
    this.draw();
  }

  /** Passages embedded since the last call. */
  embedded(chunks: number): void {
    this.chunks += chunks;
    this.draw();
  }

  /** A file is finished (added, duplicate or failed). */
  finished(): void {
    this.files++;
    this.draw();
  }

  /** A line of its own (a failed file), kept above the bar. */
  log(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
    this.draw(true);
  }

  /** The end of a group: where plain output writes its line. */
  group(): void {
    if (this.tty) return;
    this.out.write(`${this.summary()}\n`);
  }

  done(): void {
    this.clear();
  }

  private summary(): string {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = this.chunks / Math.max(seconds, 1e-3);
    const left = this.files > this.already ? ((this.total - this.files) * seconds) / (this.files - this.already) : NaN;
    return `${this.files}/${this.total} files · ${this.chunks.toLocaleString('en')} chunks · ${rate.toFixed(1)} chunks/s${Number.isFinite(left) ? ` · ${duration(left)} left` : ''}`;
  }

  private draw(force = false): void {
    if (!this.tty) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = Math.max(40, this.out.columns ?? 80);
    const share = this.total ? this.files / this.total : 1;
    const bar = 24;
    const filled = Math.round(share * bar);
    let line = `${'█'.repeat(filled)}${'░'.repeat(bar - filled)} ${Math.floor(share * 100)}% ${this.summary()}`;
    if (this.current) line += ` · ${this.current}`;
    this.out.write(`\r${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}\x1b[K`);
    this.drawn = true;
  }

  private clear(): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
