export { createTrainingWorkers } from './pool.js';
export type { TrainingWorkers, TrainingWorkersOptions } from './pool.js';
