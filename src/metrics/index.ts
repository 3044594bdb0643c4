export { binaryCrossEntropy, binaryMetrics, rocAuc } from './binary.js';
export type { BinaryMetrics, ConfusionMatrix } from './binary.js';
export { delongInterval, wilsonInterval, Z95 } from './intervals.js';
export type { Interval } from './intervals.js';
