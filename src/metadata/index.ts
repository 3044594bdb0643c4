export { METADATA_KEY, MODEL_INFO_FORMAT, getModelInfo, setModelInfo } from './model-info.js';
export type { ModelInfo } from './model-info.js';
