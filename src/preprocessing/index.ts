export { DEFAULT_PREPROCESSING } from './spec.js';
export type { Preprocessing } from './spec.js';
export { channelsOf, imageToTensor, imagesToBatch, tensorToBatch, toGray } from './image.js';
export type { RawImage } from './image.js';
export { isHuImage } from './hu-image.js';
export type { HuImage, SliceImage } from './hu-image.js';
export { checkResizeMode, inputRegion, PAD_HU, RESIZE_MODES } from './frame.js';
export type { InputRegion, ResizeMode } from './frame.js';
