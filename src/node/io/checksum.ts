import { createHash } from 'node:crypto';
import { CtHemorrhageError } from '../../errors/index.js';

/** Hex SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Throws MODEL_FORMAT when `bytes` do not hash to `expected` (when one is recorded): the file
 * was damaged or swapped after it was saved.
 */
export function verifySha256(file: string, bytes: Uint8Array, expected: unknown): void {
  if (expected === undefined) return;
  const actual = sha256(bytes);
  if (typeof expected !== 'string' || actual !== expected.toLowerCase()) {
    throw new CtHemorrhageError(
      'MODEL_FORMAT',
      `${file} does not match the SHA-256 checksum recorded when it was saved (expected ${String(expected)}, got ${actual}). ` +
        'The file is damaged or was replaced; copy the folder again or re-save the model.',
      { file, expected: String(expected), received: actual },
    );
  }
}
