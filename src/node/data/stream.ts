import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import type { TensorData } from '../../data/index.js';
import { CtHemorrhageError } from '../../errors/index.js';
import { imageToTensor, type Preprocessing } from '../../preprocessing/index.js';
import { createRng, mixSeed, shuffled } from '../../random/index.js';
import type { DatasetEntry, DatasetListing } from './listing.js';
import { readEntry, type SkippedFile } from './load.js';

/** One batch as the dataset yields it: inputs `[n, h, w, c]` and labels `[n, 1]`, as `model.fitDataset` takes. */
export interface SliceBatch extends tf.TensorContainerObject {
  xs: tf.Tensor4D;
  ys: tf.Tensor2D;
}

/** Options of {@link createSliceDataset}. */
export interface SliceDatasetOptions {
  /** The model's preprocessing (`getModelInfo(model).preprocessing`): input size, channels, windows. */
  preprocessing: Preprocessing;
  /** Samples per batch. Default `32`. */
  batchSize?: number;
  /** Shuffle the whole file list anew for every pass, seeded. Default `true`. */
  shuffle?: boolean;
  /** Seed of the shuffles: pass `k` of seed `s` always has the same order. Default `1`. */
  seed?: number;
  /** Batches prepared ahead of the consumer. Default `2`. */
  prefetch?: number;
  /**
   * Keep every preprocessed input (model-size floats, not decoded images) after its first
   * decode, so later passes skip reading and decoding. For sets that fit in memory:
   * `h * w * channels * 4` bytes per slice (64 KiB at 128x128x1). Default `false`.
   */
  cache?: boolean;
  /** Throw on the first unreadable file instead of skipping and reporting it. Default `false`. */
  strict?: boolean;
  /** Read 16-bit grey PNGs as HU with this offset. Default: PNGs are display images. */
  huOffset?: number;
  /** Largest image accepted, in pixels; larger files are skipped (or thrown in strict mode) as `BAD_INPUT`. Default 4096 x 4096. */
  maxPixels?: number;
  /** Called once per file that could not be read, when the dataset meets it. */
  onSkip?: (skipped: SkippedFile) => void;
}

/** Defaults of {@link SliceDatasetOptions}. */
export const SLICE_DATASET_DEFAULTS = Object.freeze({ batchSize: 32, shuffle: true, seed: 1, prefetch: 2, cache: false, strict: false });

/** A streaming dataset of labelled slices on disk, and what it has met so far. */
export interface SliceDataset {
  /** Batches `{ xs, ys }` read from disk as they are consumed; feed it to `model.fitDataset`. */
  readonly dataset: tfd.Dataset<SliceBatch>;
  /** The files, in listing order. */
  readonly entries: readonly DatasetEntry[];
  /** Files that could not be read so far (each reported once), in the order met. */
  readonly skipped: readonly SkippedFile[];
  /** Inputs held in the cache. */
  readonly cachedCount: number;
  /**
   * Reads every file once (through the cache when on) into one tensor set for `train` or
   * `evaluate`, in listing order, with ids and groups; unreadable files are left out and
   * reported in `skipped`. The caller owns `xs` and `ys`.
   */
  toTensorData(): Promise<TensorData & { ids: string[] }>;
}

function isListing(source: DatasetListing | readonly DatasetEntry[]): source is DatasetListing {
  return !Array.isArray(source);
}

/**
 * Makes a tfjs-data pipeline that streams labelled slices from disk: seeded shuffle of the
 * file list per pass, decode (images, DICOM, HU PNG), the model's preprocessing, batch and
 * prefetch, with an optional cache of preprocessed inputs. Memory stays at a few batches
 * without the cache. Bad files are skipped and reported in `skipped` (or thrown with `strict`).
 *
 * @example
 * ```ts
 * const listing = await listDataset('data/head_ct');
 * const data = createSliceDataset(listing, { preprocessing: getModelInfo(model).preprocessing, batchSize: 16 });
 * await model.fitDataset(data.dataset, { epochs: 5 });
 * data.skipped; // [] when every file decoded
 * ```
 */
export function createSliceDataset(source: DatasetListing | readonly DatasetEntry[], options: SliceDatasetOptions): SliceDataset {
  const entries: readonly DatasetEntry[] = isListing(source) ? source.entries : source;
  const spec = options.preprocessing;
  const batchSize = options.batchSize ?? SLICE_DATASET_DEFAULTS.batchSize;
  const prefetch = options.prefetch ?? SLICE_DATASET_DEFAULTS.prefetch;
  if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(prefetch) || prefetch < 0) {
    throw new CtHemorrhageError('BAD_INPUT', `batchSize must be an integer >= 1 and prefetch an integer >= 0; got ${batchSize} and ${prefetch}.`, {
      option: 'batchSize',
      received: { batchSize, prefetch },
    });
  }
  if (entries.length === 0) {
    throw new CtHemorrhageError('EMPTY_DATASET', 'The dataset lists no files; check the data folder or manifest.');
  }
  const seed = options.seed ?? SLICE_DATASET_DEFAULTS.seed;
  const shuffle = options.shuffle ?? SLICE_DATASET_DEFAULTS.shuffle;
  const [h, w] = spec.inputSize;
  const inputSize = h * w * spec.channels;
  const cache = options.cache ? new Map<number, Float32Array>() : undefined;
  const bad = new Set<number>();
  const skipped: SkippedFile[] = [];

  /** The preprocessed input of entry `i`, or undefined when it cannot be read. */
  async function input(i: number): Promise<Float32Array | undefined> {
    const hit = cache?.get(i);
    if (hit) return hit;
    if (bad.has(i)) return undefined;
    const entry = entries[i] as DatasetEntry;
    try {
      const image = await readEntry(entry, { huOffset: options.huOffset, maxPixels: options.maxPixels });
      const t = imageToTensor(image, spec, entry.file);
      const values = t.dataSync() as Float32Array;
      t.dispose();
      cache?.set(i, values);
      return values;
    } catch (error) {
      if (options.strict || !(error instanceof CtHemorrhageError)) throw error;
      bad.add(i);
      const report = { file: entry.file, error };
      skipped.push(report);
      options.onSkip?.(report);
      return undefined;
    }
  }

  let pass = 0;
  async function* batches(): AsyncGenerator<SliceBatch> {
    const all = Array.from({ length: entries.length }, (_, i) => i);
    const order = shuffle ? shuffled(all, createRng(mixSeed(seed, pass))) : all;
    pass++;
    let xs = new Float32Array(batchSize * inputSize);
    let ys: number[] = [];
    for (const i of order) {
      const values = await input(i);
      if (!values) continue;
      xs.set(values, ys.length * inputSize);
      ys.push((entries[i] as DatasetEntry).label);
      if (ys.length === batchSize) {
        yield { xs: tf.tensor4d(xs, [batchSize, h, w, spec.channels]), ys: tf.tensor2d(ys, [batchSize, 1]) };
        xs = new Float32Array(batchSize * inputSize);
        ys = [];
      }
    }
    if (ys.length > 0) {
      const n = ys.length;
      yield { xs: tf.tensor4d(xs.subarray(0, n * inputSize), [n, h, w, spec.channels]), ys: tf.tensor2d(ys, [n, 1]) };
    }
  }

  const base = tfd.generator(batches);
  const dataset = prefetch > 0 ? base.prefetch(prefetch) : base;

  async function toTensorData(): Promise<TensorData & { ids: string[] }> {
    const kept: number[] = [];
    const values: Float32Array[] = [];
    for (let i = 0; i < entries.length; i++) {
      const v = await input(i);
      if (v) {
        kept.push(i);
        values.push(v);
      }
    }
    if (kept.length === 0) {
      throw new CtHemorrhageError('EMPTY_DATASET', `None of the ${entries.length} files could be read (first problem: ${skipped[0]?.error.message}).`);
    }
    const flat = new Float32Array(kept.length * inputSize);
    values.forEach((v, k) => flat.set(v, k * inputSize));
    const picked = kept.map((i) => entries[i] as DatasetEntry);
    const groups = picked.map((e) => e.group);
    return {
      xs: tf.tensor4d(flat, [kept.length, h, w, spec.channels]),
      ys: tf.tensor1d(picked.map((e) => e.label)),
      ids: picked.map((e) => e.id),
      ...(groups.some((g) => g !== undefined) ? { groups } : {}),
    };
  }

  return {
    dataset,
    entries,
    get skipped() {
      return skipped;
    },
    get cachedCount() {
      return cache?.size ?? 0;
    },
    toTensorData,
  };
}
