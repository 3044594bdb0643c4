/**
 * ct-hemorrhage for Node: everything in the core entry, plus model folders on disk, labelled
 * datasets on disk (image folders, manifests, DICOM folders, streaming tfjs-data pipelines), file-path prediction, backend selection, and reports, plots and model cards written to disk.
 *
 * For research and education only; not a medical device, not for diagnosis.
 * @packageDocumentation
 */
export * from './index.js';
export { createPredictor, loadPredictor } from './node/predictor/index.js';
export {
  CHECKPOINT_JSON,
  fileSystemIO,
  loadCheckpoint,
  loadModel,
  MODEL_JSON,
  recoverInterruptedSave,
  saveCheckpoint,
  saveModel,
  WEIGHTS_BIN,
} from './node/io/index.js';
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
export {
  HISTORY_JSON,
  MODEL_CARD_MD,
  PLOT_PACKAGES,
  readTrainHistory,
  renderPlot,
  RENDER_PLOT_DEFAULTS,
  REPORT_JSON,
  REPORT_MD,
  writeModelCard,
  writeReport,
} from './node/report/index.js';
export type { RenderPlotOptions, WriteReportInput, WrittenReport } from './node/report/index.js';
export { selectBackend } from './node/backend/index.js';
export type { BackendChoice, NodeBackendName, SelectBackendOptions } from './node/backend/index.js';
