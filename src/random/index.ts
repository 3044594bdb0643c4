export { createRng, mixSeed, shuffled } from './rng.js';
export type { Rng } from './rng.js';
