import { CtHemorrhageError } from '../../src/errors/index.js';

/**
 * How one case ended: `decoded`, a typed `error` (a CtHemorrhageError, with its code) — both fine —
 * or a `crash` (any other error, a broken contract, a dead worker) or a `hang` (over the time limit).
 */
export type Outcome =
  | { readonly kind: 'decoded'; readonly ms: number }
  | { readonly kind: 'error'; readonly code: string; readonly ms: number }
  | { readonly kind: 'crash'; readonly error: string; readonly ms: number }
  | { readonly kind: 'hang'; readonly ms: number };

/** Classifies what a target threw. */
export function classify(thrown: unknown, ms: number): Outcome {
  if (thrown instanceof CtHemorrhageError) return { kind: 'error', code: thrown.code, ms };
  const error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}\n${thrown.stack ?? ''}` : `non-Error thrown: ${String(thrown)}`;
  return { kind: 'crash', error, ms };
}

/** True for outcomes that fail the run. */
export function isFailure(outcome: Outcome): boolean {
  return outcome.kind === 'crash' || outcome.kind === 'hang';
}
