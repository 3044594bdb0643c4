export { train } from './train.js';
export { recomputeBatchNorm } from './batch-norm.js';
export { TRAIN_DEFAULTS } from './options.js';
export type { Logs, MonitorName, TrainCallbacks, TrainHistory, TrainOptions } from './options.js';
export type { GradientWorkers, WorkerSetup } from './workers.js';
export type { ShardAugmentation, ShardRequest, ShardResult } from './shard.js';
export { CHECKPOINT_FORMAT, disposeCheckpoint } from './checkpoint.js';
export type { NamedTensor, TrainingCheckpoint, TrainingState } from './checkpoint.js';
