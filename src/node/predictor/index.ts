export { createPredictor, loadPredictor } from './predictor.js';
