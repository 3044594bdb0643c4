/**
 * ct-hemorrhage for Node: everything in the core entry, plus model folders on disk, image
 * folders with labels, file-path prediction and backend selection.
 *
 * For research and education only; not a medical device, not for diagnosis.
 * @packageDocumentation
 */
export * from './index.js';
export { createPredictor, loadPredictor } from './node/predictor/index.js';
export { fileSystemIO, loadModel, MODEL_JSON, saveModel, WEIGHTS_BIN } from './node/io/index.js';
export { IMAGE_EXTENSIONS, loadImageFolder } from './node/data/index.js';
export type { ImageFolder, ImageFolderOptions, SkippedFile } from './node/data/index.js';
export { createTrainingWorkers } from './node/parallel/index.js';
export type { TrainingWorkers, TrainingWorkersOptions } from './node/parallel/index.js';
export { selectBackend } from './node/backend/index.js';
export type { BackendChoice, NodeBackendName, SelectBackendOptions } from './node/backend/index.js';
