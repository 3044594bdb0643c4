export { ARCHITECTURES, buildLargerCnn, buildModel, buildSimpleCnn } from './cnn.js';
export type { ArchitectureName } from './cnn.js';
export { CNN_DEFAULTS, LARGER_CNN_DENSE_UNITS, SIMPLE_CNN_DENSE_UNITS } from './options.js';
export type { CnnOptions } from './options.js';
