/**
 * ct-hemorrhage for Node: everything in the core entry, plus model folders on disk, labelled
 * datasets on disk (image folders, manifests, DICOM folders, streaming tfjs-data pipelines), file-path prediction and backend selection.
 *
 * For research and education only; not a medical device, not for diagnosis.
 * @packageDocumentation
 */
export * from './index.js';
export { createPredictor, loadPredictor } from './node/predictor/index.js';
export { fileSystemIO, loadModel, MODEL_JSON, saveModel, WEIGHTS_BIN } from './node/io/index.js';
export {
  createSliceDataset,
  DICOM_EXTENSIONS,
  formatSkipped,
  IMAGE_EXTENSIONS,
  listDataset,
  loadImageFolder,
  SLICE_DATASET_DEFAULTS,
} from './node/data/index.js';
export type {
  DatasetEntry,
  DatasetLayout,
  DatasetListing,
  DicomGroupBy,
  ImageFolder,
  ImageFolderOptions,
  ListDatasetOptions,
  SkippedFile,
  SliceBatch,
  SliceDataset,
  SliceDatasetOptions,
} from './node/data/index.js';
export { writePhantomDataset } from './node/phantom/index.js';
export type { PhantomDataset, PhantomDatasetOptions, PhantomFileFormat } from './node/phantom/index.js';
export { createTrainingWorkers } from './node/parallel/index.js';
export type { TrainingWorkers, TrainingWorkersOptions } from './node/parallel/index.js';
export { selectBackend } from './node/backend/index.js';
export type { BackendChoice, NodeBackendName, SelectBackendOptions } from './node/backend/index.js';
