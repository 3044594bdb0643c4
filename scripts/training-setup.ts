// Shared by the training scripts: the fastest backend with the wasm training path, and worker
// threads on every core when wasm trains (the workers run dist/train-worker.js: build first).
import { availableParallelism } from 'node:os';
import { stratifiedGroupSplit, type LabeledImage } from '../src/data/index.js';
import { selectBackend, type BackendChoice } from '../src/node/backend/index.js';
import { createTrainingWorkers, type TrainingWorkers } from '../src/node/parallel/index.js';

export interface TrainingSetup {
  readonly backend: BackendChoice;
  readonly threads: number;
  readonly workers: TrainingWorkers | undefined;
}

/** Selects the backend and starts `threads - 1` workers (default: every core on wasm, else 1 thread). */
export async function startTraining(threads?: number): Promise<TrainingSetup> {
  const backend = await selectBackend({ training: true });
  const count = threads ?? (backend.name === 'wasm' ? availableParallelism() : 1);
  const workerScript = new URL('../dist/train-worker.js', import.meta.url);
  const workers = count > 1 ? await createTrainingWorkers({ threads: count - 1, workerScript }) : undefined;
  return { backend, threads: count, workers };
}

/** A grouped, stratified hold-out split of labelled images (`fraction` held out), seeded. */
export function groupedHoldout(samples: readonly LabeledImage[], seed: number, fraction = 0.2): { trainSet: LabeledImage[]; heldOut: LabeledImage[] } {
  const split = stratifiedGroupSplit(
    samples.map((s) => s.label),
    fraction,
    seed,
    samples.map((s) => s.group),
  );
  return {
    trainSet: split.train.map((i) => samples[i] as LabeledImage),
    heldOut: split.validation.map((i) => samples[i] as LabeledImage),
  };
}
