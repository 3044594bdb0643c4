import type * as tfl from '@tensorflow/tfjs-layers';
import { createRng } from '../random/index.js';

/** One dropout layer of a model: its name, rate and features per sample. */
export interface DropoutSite {
  readonly name: string;
  readonly rate: number;
  readonly features: number;
}

/** The dropout layers of `model` (rate > 0), in layer order. */
export function dropoutSites(model: tfl.LayersModel): DropoutSite[] {
  const sites: DropoutSite[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Dropout') continue;
    const rate = (layer.getConfig() as { rate: number }).rate;
    const shape = layer.outputShape as (number | null)[];
    const features = shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
    if (rate > 0) sites.push({ name: layer.name, rate, features });
  }
  return sites;
}

/** Mixes integers into one 32-bit seed (xorshift-multiply), so nearby keys give unrelated streams. */
function mix(...keys: number[]): number {
  let h = 0x811c9dc5;
  for (const k of keys) {
    h = Math.imul(h ^ (k >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}

/**
 * Dropout masks for a batch, already scaled by 1 / (1 - rate), one `Float32Array` of
 * `samples.length * features` per site. Each sample's mask depends only on (seed, epoch,
 * site, sample index), never on the batch it sits in or the thread that computes it, so a
 * batch split across workers trains exactly as the whole batch would.
 */
export function dropoutMasks(
  sites: readonly DropoutSite[],
  samples: readonly number[],
  epoch: number,
  seed: number,
): Float32Array[] {
  return sites.map((site, s) => {
    const keep = 1 / (1 - site.rate);
    const out = new Float32Array(samples.length * site.features);
    samples.forEach((sample, i) => {
      const rng = createRng(mix(seed, epoch, s, sample));
      for (let f = 0; f < site.features; f++) out[i * site.features + f] = rng() >= site.rate ? keep : 0;
    });
    return out;
  });
}
