export { fileSystemIO, MODEL_JSON, WEIGHTS_BIN } from './file-system.js';
export { loadModel, saveModel } from './model-folder.js';
