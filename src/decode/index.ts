export { decodeImage } from './decode.js';
export type { DecodeOptions } from './decode.js';
