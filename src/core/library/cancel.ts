/** Stops every batch in progress at once (the app's Cancel); each batch also keeps its own signal. */
export class Cancellation {
  private readonly running = new Set<AbortController>();
  private waiting: (() => void)[] = [];

  /** Resolves when no batch is running (at once if none is). */
  idle(): Promise<void> {
    if (!this.running.size) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async run<T>(signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.running.add(controller);
    try {
      return await work(signal ? AbortSignal.any([signal, controller.signal]) : controller.signal);
    } finally {
      this.running.delete(controller);
      if (!this.running.size) for (const resolve of this.waiting.splice(0)) resolve();
    }
  }

  cancelAll(): void {
    for (const c of this.running) c.abort(new DOMException('Adding was cancelled.', 'AbortError'));
  }
}
