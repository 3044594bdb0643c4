import { CtHemorrhageError } from '../errors/index.js';

/** What a metric accepts as scores: `'any'` (NaN allowed), `'finite'`, or `'probability'` (in [0, 1]). */
export type ScoreRule = 'any' | 'finite' | 'probability';

/**
 * Checks that `labels` and `scores` pair up one to one, that there is at least one sample,
 * that every label is 0 or 1 and that every score obeys `rule`; throws a
 * {@link CtHemorrhageError} naming `caller` otherwise. Returns the number of positives.
 *
 * @internal
 */
export function checkLabelsAndScores(
  caller: string,
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  rule: ScoreRule,
): number {
  if (labels.length !== scores.length) {
    throw new CtHemorrhageError(
      'SHAPE_MISMATCH',
      `${caller} needs as many scores as labels; got ${labels.length} labels and ${scores.length} scores. Pass one score per label, in the same order.`,
      { option: 'scores', expected: labels.length, received: scores.length },
    );
  }
  if (labels.length === 0) {
    throw new CtHemorrhageError(
      'EMPTY_DATASET',
      `${caller} got no samples; pass at least one label and one score.`,
      { option: 'labels', expected: 'at least one sample', received: 0 },
    );
  }
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === 1) positives++;
    else if (label !== 0) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `${caller} takes labels 0 (normal) or 1 (hemorrhage); label ${i} is ${String(label)}. Map the labels to 0/1 first.`,
        { option: 'labels', expected: '0 or 1', received: label, index: i },
      );
    }
    const score = scores[i] as number;
    if (rule === 'any') continue;
    const ok =
      typeof score === 'number' && Number.isFinite(score) && (rule === 'finite' || (score >= 0 && score <= 1));
    if (!ok) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        rule === 'finite'
          ? `${caller} takes finite scores; score ${i} is ${String(score)}. Check the model output for NaN or infinite values.`
          : `${caller} takes probabilities in [0, 1]; score ${i} is ${String(score)}. Pass sigmoid outputs, not logits.`,
        { option: 'scores', expected: rule === 'finite' ? 'a finite number' : 'a number in [0, 1]', received: score, index: i },
      );
    }
  }
  return positives;
}

/** True when every score is a number in [0, 1]. @internal */
export function allProbabilities(scores: ArrayLike<number>): boolean {
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (!(s >= 0 && s <= 1)) return false;
  }
  return true;
}

/** True when some score is NaN. @internal */
export function hasNaN(scores: ArrayLike<number>): boolean {
  for (let i = 0; i < scores.length; i++) if (Number.isNaN(scores[i])) return true;
  return false;
}
