export { disableWasmTraining, enableWasmTraining, isWasmTrainingEnabled } from './enable.js';
