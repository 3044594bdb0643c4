export { createRng, shuffled, withSeededMathRandom } from './rng.js';
export type { Rng } from './rng.js';
