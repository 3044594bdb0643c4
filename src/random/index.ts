export { createRng, shuffled } from './rng.js';
export type { Rng } from './rng.js';
