/**
 * Writes that must not be lost. Each write resolves only once IndexedDB has committed it;
 * a failed write (disk full, database closed) stays queued in memory, the failure is reported,
 * and the queue retries with backoff until it succeeds. Order is preserved.
 */
export interface StorageStatus {
  ok: boolean;
  /** Writes not yet committed. */
  pending: number;
  /** What went wrong, in words for the user. */
  message?: string;
}

interface Job {
  run: () => Promise<void>;
  resolve: () => void;
}

export class DurableQueue {
  private queue: Job[] = [];
  private draining = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wake: (() => void) | undefined;
  /** While set, no write runs: the database is being put back (see holdUntil). */
  private gate: Promise<void> | null = null;

  constructor(
    private onStatus: (status: StorageStatus) => void = () => {},
    private backoff = (failures: number) => Math.min(30_000, 500 * 2 ** (failures - 1)),
  ) {}

  /** Resolves when the write has committed, however many retries that takes. */
  write(run: () => Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ run, resolve });
      void this.drain();
    });
  }

  /**
   * Runs `job` before any write still queued, holding them until it is done: the database was lost
   * and must be written back first, so that nothing is acknowledged into a database missing what
   * it builds on.
   */
  holdUntil(job: () => Promise<void>): Promise<void> {
    const done = (async () => {
      for (let failures = 1; ; failures++) {
        try {
          return await job();
        } catch (error) {
          this.onStatus({ ok: false, pending: this.queue.length, message: describeStorageError(error) });
          await new Promise((r) => setTimeout(r, this.backoff(failures)));
        }
      }
    })();
    const gate = done.finally(() => {
      if (this.gate === gate) this.gate = null;
    });
    this.gate = gate;
    return done;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Retry now rather than at the end of the backoff (the user pressed "retry"). */
  retryNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    while (this.queue.length) {
      while (this.gate) await this.gate;
      const job = this.queue[0];
      try {
        await job.run();
        this.queue.shift();
        job.resolve();
        if (this.failures) {
          this.failures = 0;
          this.onStatus({ ok: true, pending: this.queue.length });
        }
      } catch (error) {
        this.failures++;
        this.onStatus({ ok: false, pending: this.queue.length, message: describeStorageError(error) });
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, this.backoff(this.failures));
        });
      }
    }
    this.draining = false;
  }
}

export function describeStorageError(error: unknown): string {
  const e = error as { name?: string; inner?: { name?: string }; message?: string };
  const name = e?.inner?.name ?? e?.name ?? '';
  if (name === 'QuotaExceededError') {
    return 'The disk is full: your changes are kept in memory and will be saved when space is freed. Keep this browser open.';
  }
  if (name === 'DatabaseClosedError' || name === 'InvalidStateError') {
    return 'The local database closed unexpectedly: your changes are kept in memory and saving will be retried.';
  }
  return `Saving failed (${name || 'unknown error'}): your changes are kept in memory and saving will be retried.`;
}
