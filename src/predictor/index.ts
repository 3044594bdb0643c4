export { createPredictor, loadPredictor } from './predictor.js';
export type { Prediction, PredictInput, Predictor, PredictorOptions } from './predictor.js';
