export { evaluate } from './evaluate.js';
export type { EvaluateOptions, Evaluation } from './evaluate.js';
