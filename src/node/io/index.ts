export { fileSystemIO, MODEL_JSON, WEIGHTS_BIN } from './file-system.js';
export { loadModel, saveModel } from './model-folder.js';
export { CHECKPOINT_JSON, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
export { recoverInterruptedSave } from './atomic.js';
