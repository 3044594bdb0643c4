/**
 * ct-hemorrhage: train, evaluate and run CNNs that classify non-contrast head CT slices as
 * normal or hemorrhage, on whichever TensorFlow.js backend the app registers.
 *
 * For research and education only; not a medical device, not for diagnosis.
 *
 * This browser-safe entry touches no Node built-in. Only these exports are public.
 * @packageDocumentation
 */
export { CtHemorrhageError, isCtHemorrhageError } from './errors/index.js';
export type { CtHemorrhageErrorCode, CtHemorrhageErrorDetails } from './errors/index.js';

export {
  ARCHITECTURES,
  buildDeepCnn,
  buildLargerCnn,
  buildModel,
  buildSimpleCnn,
  CNN_DEFAULTS,
  DEEP_CNN_DEFAULTS,
  KERNEL_INITIALIZERS,
  LARGER_CNN_DENSE_UNITS,
  maxConvBlocks,
  SIMPLE_CNN_DENSE_UNITS,
} from './models/index.js';
export type { ArchitectureName, CnnOptions, KernelInitializerName } from './models/index.js';

export {
  DEFAULT_PREPROCESSING,
  imagesToBatch,
  imageToTensor,
  inputRegion,
  isHuImage,
  PAD_HU,
  RESIZE_MODES,
  tensorToBatch,
  toGray,
} from './preprocessing/index.js';
export type { HuImage, InputRegion, Preprocessing, RawImage, ResizeMode, SliceImage } from './preprocessing/index.js';

export {
  applyWindow,
  DEFAULT_WINDOW_STACK,
  parseWindowSpec,
  resolveWindow,
  windowBounds,
  windowStack,
  WINDOW_PRESETS,
} from './windowing/index.js';
export type { CtWindow, WindowPresetName, WindowSpec } from './windowing/index.js';

export { getModelInfo, METADATA_KEY, MODEL_INFO_FORMAT, setModelInfo } from './metadata/index.js';
export type { ModelInfo } from './metadata/index.js';

export { decodeImage, decodeSlice, isPng, readHuPng } from './decode/index.js';
export type { DecodeOptions, DecodeSliceOptions, HuPngOptions } from './decode/index.js';

export { dicomUid, isDicom, readDicom, writeDicom } from './dicom/index.js';
export type { DicomMeta, DicomSlice, DicomWriteOptions, ReadDicomOptions } from './dicom/index.js';

export { stratifiedGroupKFold, stratifiedGroupSplit } from './data/index.js';
export type { LabeledData, LabeledImage, SplitIndices, TensorData } from './data/index.js';

export { affineMatrix, augmentBatch, augmentDataset, AUGMENT_PRESETS, IDENTITY, validateAugmentOptions } from './augment/index.js';
export type { AffineParams, AugmentOptions, AugmentSeed, FillMode, ImageBatch } from './augment/index.js';

export { CHECKPOINT_FORMAT, disposeCheckpoint, recomputeBatchNorm, train, TRAIN_DEFAULTS } from './trainer/index.js';
export type {
  GradientWorkers,
  Logs,
  MonitorName,
  NamedTensor,
  ShardAugmentation,
  ShardRequest,
  ShardResult,
  TrainCallbacks,
  TrainHistory,
  TrainingCheckpoint,
  TrainingState,
  TrainOptions,
  WorkerSetup,
} from './trainer/index.js';

export { DEFAULT_ARCHITECTURE, defaultRecipe } from './recipe/index.js';
export type { TrainingRecipe } from './recipe/index.js';

export { evaluate } from './evaluator/index.js';
export type { EvaluateOptions, Evaluation } from './evaluator/index.js';

export { crossValidate, CROSS_VALIDATE_DEFAULTS } from './crossval/index.js';
export type { CrossValidateOptions, CrossValidation, FoldResult } from './crossval/index.js';

export {
  calibrationSpec,
  confusionMatrixSpec,
  DISCLAIMER,
  foldRocSpec,
  metricEntries,
  MODEL_CARD_LIMITS,
  modelCardMarkdown,
  PLOT_DEFAULTS,
  precisionRecallSpec,
  reportMarkdown,
  reportPlots,
  reportSummary,
  rocSpec,
  trainingCurvesSpec,
} from './report/index.js';
export type {
  FoldScores,
  FoldSummary,
  MetricEntry,
  ModelCardInput,
  PlotOptions,
  ReportImage,
  ReportInput,
  ReportMarkdownOptions,
  ReportPlot,
  ReportSection,
  ReportSummary,
  RocSpecOptions,
  ScoredMetrics,
  TrainHistoryLike,
  VegaLiteSpec,
} from './report/index.js';

export {
  averagePrecision,
  binaryCrossEntropy,
  binaryMetrics,
  bootstrapAucInterval,
  BOOTSTRAP_AUC_DEFAULTS,
  calibration,
  CALIBRATION_BINS,
  delongInterval,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  selectThreshold,
  wilsonInterval,
  Z95,
} from './metrics/index.js';
export type {
  BinaryMetrics,
  BootstrapAucOptions,
  Calibration,
  CalibrationBin,
  ConfusionMatrix,
  Interval,
  OperatingPoint,
  PrecisionRecallCurve,
  RocCurve,
  ThresholdOptions,
  ThresholdPlacement,
} from './metrics/index.js';

export { createPredictor, loadPredictor } from './predictor/index.js';
export type { Prediction, PredictInput, Predictor, PredictorOptions } from './predictor/index.js';

export {
  CT_PHANTOM_DEFAULTS,
  generateCtPhantom,
  generateCtPhantoms,
  generatePhantoms,
  HEMORRHAGE_KINDS,
  PHANTOM_DEFAULTS,
  PHANTOM_HEAD_RADIUS,
  PHANTOM_TISSUE_HU,
} from './phantom/index.js';
export type { CtPhantom, CtPhantomOptions, CtPhantomsOptions, HemorrhageKind, PhantomOptions, PhantomRange } from './phantom/index.js';

export { encodeOverlayPng, GRAD_CAM_DEFAULTS, GRAD_CAM_LAYER_CLASSES, gradCam, heatmapOverlay, OVERLAY_DEFAULTS, overlayBase } from './explain/index.js';
export type { GradCamOptions, GradCamResult, HeatmapColormap, OverlayImage, OverlayOptions } from './explain/index.js';

export {
  activeKernelBuild,
  disableWasmTraining,
  enableWasmTraining,
  isWasmTrainingEnabled,
  useKernelBuild,
  type KernelBuild,
} from './wasm-training/index.js';

export { VERSION } from './version/index.js';
