export { binaryCrossEntropy, binaryMetrics, rocAuc } from './binary.js';
export type { BinaryMetrics, ConfusionMatrix } from './binary.js';
