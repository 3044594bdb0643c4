export { compactGray, decodeImage } from './decode.js';
export type { DecodeOptions } from './decode.js';
export { isPng, readHuPng } from './png16.js';
export type { HuPngOptions } from './png16.js';
export { decodeSlice } from './slice.js';
export type { DecodeSliceOptions } from './slice.js';
