export { isTensorData } from './types.js';
export type { LabeledData, LabeledImage, TensorData } from './types.js';
export { classCounts, prepareData, requireBackend } from './tensors.js';
export type { PreparedData } from './tensors.js';
export { stratifiedGroupKFold, stratifiedGroupSplit } from './split.js';
export type { SplitIndices } from './split.js';
export { idKey, parseCsv } from './csv.js';
