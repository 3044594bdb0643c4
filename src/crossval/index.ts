export { crossValidate } from './crossval.js';
export { CROSS_VALIDATE_DEFAULTS } from './options.js';
export type { CrossValidateOptions, CrossValidation, FoldResult } from './options.js';
