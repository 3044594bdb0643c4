export { buildLargerCnn, buildSimpleCnn } from './cnn.js';
export { ARCHITECTURES, buildModel, countConvBlocks, maxConvBlocks } from './registry.js';
export type { ArchitectureName } from './registry.js';
export { CNN_DEFAULTS, KERNEL_INITIALIZERS, LARGER_CNN_DENSE_UNITS, SIMPLE_CNN_DENSE_UNITS } from './options.js';
export type { CnnOptions, KernelInitializerName } from './options.js';
export { buildDeepCnn, DEEP_CNN_DEFAULTS } from './deep.js';
