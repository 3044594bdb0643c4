export { generatePhantoms, PHANTOM_DEFAULTS } from './phantom.js';
export type { PhantomOptions } from './phantom.js';
