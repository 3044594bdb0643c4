import { CtHemorrhageError } from '../errors/index.js';
import { createRng, shuffled } from '../random/index.js';

/** Indices of the two sides of a split. */
export interface SplitIndices {
  readonly train: number[];
  readonly validation: number[];
}

/**
 * Splits sample indices into train and validation, stratified by label and, when `groups` is
 * given, grouped: every sample of a group lands on the same side. Seeded. Each class gives
 * the validation side about `fraction` of its samples, at least one group per class when it
 * has two or more.
 *
 * @example
 * ```ts
 * const { train, validation } = stratifiedGroupSplit(
 *   samples.map((s) => s.label), 0.2, 42, samples.map((s) => s.group),
 * );
 * // no group appears in both `train` and `validation`
 * ```
 */
export function stratifiedGroupSplit(
  labels: ArrayLike<number>,
  fraction: number,
  seed: number,
  groups?: readonly (string | undefined)[],
): SplitIndices {
  if (!(fraction > 0 && fraction < 1)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `A validation fraction must be in (0, 1); got ${fraction}.`,
      { option: 'validationSplit', expected: '(0, 1)', received: fraction },
    );
  }
  // Group samples; a sample without a group is its own group.
  const byGroup = new Map<string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const key = groups?.[i] !== undefined ? `g:${groups[i]}` : `i:${i}`;
    const list = byGroup.get(key) ?? [];
    list.push(i);
    byGroup.set(key, list);
  }
  const rng = createRng(seed);
  const train: number[] = [];
  const validation: number[] = [];
  for (const cls of [0, 1]) {
    // A group belongs to the class most of its samples have.
    const members = [...byGroup.values()].filter((idx) => {
      const pos = idx.filter((i) => labels[i] === 1).length;
      return (pos * 2 > idx.length ? 1 : 0) === cls;
    });
    const total = members.reduce((n, g) => n + g.length, 0);
    const target = total * fraction;
    let taken = 0;
    for (const g of shuffled(members, rng)) {
      const takeIt = members.length > 1 && (taken === 0 || taken + g.length / 2 <= target) && taken < target;
      if (takeIt) {
        validation.push(...g);
        taken += g.length;
      } else {
        train.push(...g);
      }
    }
  }
  train.sort((a, b) => a - b);
  validation.sort((a, b) => a - b);
  return { train, validation };
}
