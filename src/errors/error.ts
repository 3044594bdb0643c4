/**
 * What went wrong, as a stable machine-readable code.
 *
 * - `BAD_INPUT`: an argument, option or file content is not what the function accepts.
 * - `SHAPE_MISMATCH`: a tensor or image does not fit the model's input.
 * - `DECODE_FAILED`: image or DICOM bytes could not be decoded (corrupt, truncated, empty, not an image).
 * - `UNSUPPORTED_DICOM`: a readable DICOM file uses something the reader does not support
 *   (a compressed transfer syntax, a multi-frame or colour image); the message names it.
 * - `FILE_NOT_FOUND`: a path does not exist or cannot be read.
 * - `MODEL_FORMAT`: a model folder or model metadata is missing, corrupt or incompatible.
 * - `BACKEND_NOT_READY`: no usable TensorFlow.js backend is registered.
 * - `EMPTY_DATASET`: a dataset (or one class of it) holds no samples.
 * - `MISSING_DEPENDENCY`: an optional peer package a feature needs (plots: vega, vega-lite,
 *   resvg-wasm, a font) is not installed; the message gives the install command.
 */
export type CtHemorrhageErrorCode =
  | 'BAD_INPUT'
  | 'SHAPE_MISMATCH'
  | 'DECODE_FAILED'
  | 'UNSUPPORTED_DICOM'
  | 'FILE_NOT_FOUND'
  | 'MODEL_FORMAT'
  | 'BACKEND_NOT_READY'
  | 'EMPTY_DATASET'
  | 'MISSING_DEPENDENCY';

/** Structured facts that travel with an error (the file, option or value concerned). */
export interface CtHemorrhageErrorDetails {
  /** The file the error concerns, if any. */
  readonly file?: string;
  /** The option or argument the error concerns, if any. */
  readonly option?: string;
  /** What was expected. */
  readonly expected?: unknown;
  /** What was received. */
  readonly received?: unknown;
  /** Anything else worth knowing. */
  readonly [key: string]: unknown;
}

/**
 * The one error class the library throws for problems it recognises. The message says what
 * to do next; `code` and `details` carry the same facts for programs.
 *
 * @example
 * ```ts
 * try {
 *   await predictor.predict(bytes);
 * } catch (error) {
 *   if (error instanceof CtHemorrhageError && error.code === 'DECODE_FAILED') {
 *     console.error(error.message); // "Could not decode the image bytes (...)"
 *   }
 * }
 * ```
 */
export class CtHemorrhageError extends Error {
  override readonly name = 'CtHemorrhageError';
  readonly code: CtHemorrhageErrorCode;
  readonly details: CtHemorrhageErrorDetails;

  /**
   * Creates an error; the library does this, apps rarely need to.
   *
   * @param code - What went wrong.
   * @param message - What happened and what to do next.
   * @param details - Structured facts (file, option, expected, received).
   * @param options - `cause`: the underlying error.
   */
  constructor(
    code: CtHemorrhageErrorCode,
    message: string,
    details: CtHemorrhageErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

/**
 * True when `error` is a {@link CtHemorrhageError}, optionally of the given code.
 *
 * @example
 * ```ts
 * isCtHemorrhageError(new CtHemorrhageError('BAD_INPUT', 'x'), 'BAD_INPUT'); // true
 * isCtHemorrhageError(new Error('x'));                                      // false
 * ```
 */
export function isCtHemorrhageError(
  error: unknown,
  code?: CtHemorrhageErrorCode,
): error is CtHemorrhageError {
  return error instanceof CtHemorrhageError && (code === undefined || error.code === code);
}
