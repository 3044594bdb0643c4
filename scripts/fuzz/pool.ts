import { Worker } from 'node:worker_threads';
import type { Outcome } from './outcome.js';
import type { FuzzInput } from './targets.js';
import type { Job } from './worker.js';

const WORKER = new URL('./worker-entry.mjs', import.meta.url);

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
}

/**
 * A fixed number of worker threads that run cases with a time limit. A worker past the limit is
 * terminated (which stops even a synchronous endless loop) and replaced; one that dies is
 * replaced too, its case counted as a crash.
 */
export class FuzzPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 0;

  constructor(
    readonly size: number,
    readonly timeoutMs: number,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return { worker, ready, busy: false };
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      const free = this.slots.find((s) => !s.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    this.waiting.shift()?.();
  }

  private replace(slot: Slot): void {
    void slot.worker.terminate();
    const fresh = this.spawn();
    slot.worker = fresh.worker;
    slot.ready = fresh.ready;
  }

  /** Runs one case on a free worker; the time limit starts once the worker has loaded. */
  async run(target: string, inputs: FuzzInput[]): Promise<Outcome> {
    const slot = await this.acquire();
    try {
      await slot.ready;
      const id = this.nextId++;
      const worker = slot.worker;
      const start = performance.now();
      const outcome = await new Promise<Outcome>((resolve) => {
        const done = (o: Outcome) => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          resolve(o);
        };
        const onMessage = (m: { id: number; outcome: Outcome }) => m.id === id && done(m.outcome);
        const onError = (e: Error) => done({ kind: 'crash', error: `worker died: ${e.name}: ${e.message}`, ms: performance.now() - start });
        const onExit = (code: number) => done({ kind: 'crash', error: `worker exited with code ${code}`, ms: performance.now() - start });
        const timer = setTimeout(() => done({ kind: 'hang', ms: performance.now() - start }), this.timeoutMs);
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        const job: Job = { id, target, inputs };
        worker.postMessage(job);
      });
      if (outcome.kind === 'hang' || (outcome.kind === 'crash' && outcome.error.startsWith('worker'))) this.replace(slot);
      return outcome;
    } finally {
      this.release(slot);
    }
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
