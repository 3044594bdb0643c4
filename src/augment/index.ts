export { augmentBatch } from './augment.js';
export type { AugmentSeed } from './augment.js';
export { affineMatrix, IDENTITY } from './geometry.js';
export type { AffineParams } from './geometry.js';
export { AUGMENT_PRESETS, validateAugmentOptions } from './options.js';
export type { AugmentOptions, FillMode } from './options.js';
export { augmentDataset } from './dataset.js';
export type { ImageBatch } from './dataset.js';
