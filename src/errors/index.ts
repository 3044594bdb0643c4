export { CtHemorrhageError, isCtHemorrhageError } from './error.js';
export type { CtHemorrhageErrorCode, CtHemorrhageErrorDetails } from './error.js';
