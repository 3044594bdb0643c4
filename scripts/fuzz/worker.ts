// Worker thread: runs one case at a time for the pool, so a hang can be cut off by terminating it.
import { parentPort } from 'node:worker_threads';
import { classify, type Outcome } from './outcome.js';
import { TARGETS, type FuzzInput } from './targets.js';

/** A case as the pool sends it. */
export interface Job {
  readonly id: number;
  readonly target: string;
  readonly inputs: FuzzInput[];
}

const port = parentPort;
if (!port) throw new Error('scripts/fuzz/worker.ts runs as a worker thread of the fuzz pool.');

port.on('message', async (job: Job) => {
  const target = TARGETS[job.target];
  const start = performance.now();
  let outcome: Outcome;
  try {
    if (!target) throw new Error(`Unknown fuzz target ${job.target}.`);
    await target.run(job.inputs.map((i) => ({ name: i.name, bytes: new Uint8Array(i.bytes) })));
    outcome = { kind: 'decoded', ms: performance.now() - start };
  } catch (thrown) {
    outcome = classify(thrown, performance.now() - start);
  }
  port.postMessage({ id: job.id, outcome });
});
port.postMessage('ready');
