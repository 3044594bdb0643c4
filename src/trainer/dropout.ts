import type * as tfl from '@tensorflow/tfjs-layers';
import { createRng, mixSeed } from '../random/index.js';

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
      const rng = createRng(mixSeed(seed, epoch, s, sample));
      for (let f = 0; f < site.features; f++) out[i * site.features + f] = rng() >= site.rate ? keep : 0;
    });
    return out;
  });
}
