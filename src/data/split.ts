import { CtHemorrhageError } from '../errors/index.js';
import { createRng, shuffled } from '../random/index.js';
import type { Rng } from '../random/index.js';

/** Indices of the two sides of a split (or of one fold of a k-fold), each sorted ascending. */
export interface SplitIndices {
  /** Indices of the samples to train on. */
  readonly train: number[];
  /** Indices of the samples to validate on. */
  readonly validation: number[];
}

/** Two floats closer than this count as equal (targets are real, counts are integers). */
const EPS = 1e-9;

/** One group of samples: its indices, how many of each label it holds and its class. */
interface Group {
  readonly members: number[];
  /** Sample counts per label: `[normal, hemorrhage]`. */
  readonly counts: readonly [number, number];
  /** The label most of its samples have; ties go to positive (1). */
  readonly cls: 0 | 1;
}

const CLASS_NAMES = ['0 (normal)', '1 (hemorrhage)'] as const;

/** Checks labels (and groups) and gathers the samples into groups in order of first appearance. */
function buildGroups(labels: ArrayLike<number>, groups: readonly (string | undefined)[] | undefined): Group[] {
  if (labels.length === 0) {
    throw new CtHemorrhageError('EMPTY_DATASET', 'There are no labels to split; pass at least one labelled sample.', {
      option: 'labels',
      expected: 'at least one label',
      received: 0,
    });
  }
  if (groups !== undefined && groups.length !== labels.length) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Got ${groups.length} groups for ${labels.length} labels; pass one group per label ` +
        '(undefined for a sample without a group) or no groups at all.',
      { option: 'groups', expected: labels.length, received: groups.length },
    );
  }
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `Label at index ${i} is ${String(label)}; labels must be 0 (normal) or 1 (hemorrhage).`,
        { option: 'labels', expected: '0 or 1', received: label, index: i },
      );
    }
    const group = groups?.[i];
    const key = group !== undefined ? `g:${group}` : `i:${i}`;
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [i]);
    else list.push(i);
  }
  return [...byKey.values()].map((members) => {
    const pos = members.filter((i) => labels[i] === 1).length;
    const neg = members.length - pos;
    return { members, counts: [neg, pos], cls: pos >= neg ? 1 : 0 };
  });
}

/** Picks one of `items` with `rng` (the only item without drawing when there is one). */
function pick<T>(items: readonly T[], rng: Rng): T {
  return (items.length === 1 ? items[0] : items[Math.floor(rng() * items.length)]) as T;
}

/**
 * Assigns every group to one of `shares.length` bins so that, per label, each bin holds about
 * `share * total` samples. Greedy first (per class, largest groups first, each to the bin with
 * the largest relative deficit), then steepest-descent local search over moves and same-class
 * swaps minimising (max |count - target|, sum of squared deviations). Every bin keeps at least
 * one group of each class that has at least as many groups as there are bins.
 */
function assignGroups(groupList: readonly Group[], shares: readonly number[], rng: Rng): number[] {
  const k = shares.length;
  const totals = [0, 0];
  const classGroups = [0, 0];
  for (const g of groupList) {
    totals[0]! += g.counts[0];
    totals[1]! += g.counts[1];
    classGroups[g.cls]!++;
  }
  const target = [0, 1].map((l) => shares.map((s) => totals[l]! * s));
  const count = [0, 1].map(() => new Array<number>(k).fill(0));
  const perBin = [0, 1].map(() => new Array<number>(k).fill(0)); // groups of each class per bin
  const minPerBin = classGroups.map((n) => (n >= k ? 1 : 0));
  const bin = new Array<number>(groupList.length).fill(-1);
  const place = (gi: number, b: number, sign: 1 | -1) => {
    const g = groupList[gi] as Group;
    count[0]![b]! += sign * g.counts[0];
    count[1]![b]! += sign * g.counts[1];
    perBin[g.cls]![b]! += sign;
  };

  // Seeded order of all groups: it breaks every later tie.
  const order = shuffled(
    groupList.map((_, i) => i),
    rng,
  );

  // Greedy: per class, largest first, each to the bin furthest below its target (relative).
  for (const cls of [0, 1] as const) {
    const members = order
      .filter((gi) => groupList[gi]!.cls === cls)
      .sort((a, b) => groupList[b]!.members.length - groupList[a]!.members.length); // stable
    for (const gi of members) {
      let best = -Infinity;
      let candidates: number[] = [];
      for (let b = 0; b < k; b++) {
        const t = target[cls]![b]!;
        const deficit = (t - count[cls]![b]!) / t;
        if (deficit > best + EPS) {
          best = deficit;
          candidates = [b];
        } else if (deficit > best - EPS) candidates.push(b);
      }
      const b = pick(candidates, rng);
      bin[gi] = b;
      place(gi, b, 1);
    }
  }

  // Local search: apply the best move or swap until none lowers (max deviation, sum of squares).
  const dev = (l: number, b: number) => count[l]![b]! - target[l]![b]!;
  for (let iter = 0; iter < 100 * groupList.length + 100; iter++) {
    const binMax = new Array<number>(k);
    let curMax = 0;
    let curSq = 0;
    for (let b = 0; b < k; b++) {
      const d0 = dev(0, b);
      const d1 = dev(1, b);
      binMax[b] = Math.max(Math.abs(d0), Math.abs(d1));
      curMax = Math.max(curMax, binMax[b]!);
      curSq += d0 * d0 + d1 * d1;
    }
    const top = [...binMax.keys()].sort((a, b) => binMax[b]! - binMax[a]!).slice(0, 3);
    const restMax = (a: number, b: number) => {
      for (const t of top) if (t !== a && t !== b) return binMax[t]!;
      return 0;
    };
    // Bin a gives up (x0, x1) and takes (y0, y1); bin b the reverse.
    const evaluate = (a: number, b: number, x0: number, x1: number, y0: number, y1: number): [number, number] => {
      const a0 = dev(0, a) - x0 + y0;
      const a1 = dev(1, a) - x1 + y1;
      const b0 = dev(0, b) + x0 - y0;
      const b1 = dev(1, b) + x1 - y1;
      const max = Math.max(restMax(a, b), Math.abs(a0), Math.abs(a1), Math.abs(b0), Math.abs(b1));
      const old = dev(0, a) ** 2 + dev(1, a) ** 2 + dev(0, b) ** 2 + dev(1, b) ** 2;
      return [max, curSq - old + a0 * a0 + a1 * a1 + b0 * b0 + b1 * b1];
    };

    // One representative per (class, bin, composition): equal groups make equal moves.
    const reps: number[] = [];
    const seen = new Set<string>();
    for (const gi of order) {
      const g = groupList[gi]!;
      const key = `${bin[gi]}|${g.counts[0]},${g.counts[1]}`;
      if (!seen.has(key)) {
        seen.add(key);
        reps.push(gi);
      }
    }

    let bestMax = curMax;
    let bestSq = curSq;
    let action: [number, number, number] | undefined; // [group, to bin, swap partner or -1]
    const consider = (score: [number, number], a: [number, number, number]) => {
      if (score[0] < bestMax - EPS || (score[0] < bestMax + EPS && score[1] < bestSq - EPS)) {
        bestMax = score[0];
        bestSq = score[1];
        action = a;
      }
    };
    for (let r = 0; r < reps.length; r++) {
      const gi = reps[r]!;
      const g = groupList[gi]!;
      const from = bin[gi]!;
      if (perBin[g.cls]![from]! - 1 >= minPerBin[g.cls]!) {
        for (let to = 0; to < k; to++) {
          if (to !== from) consider(evaluate(from, to, g.counts[0], g.counts[1], 0, 0), [gi, to, -1]);
        }
      }
      for (let s = r + 1; s < reps.length; s++) {
        const hi = reps[s]!;
        const h = groupList[hi]!;
        const other = bin[hi]!;
        if (h.cls !== g.cls || other === from) continue;
        if (h.counts[0] === g.counts[0] && h.counts[1] === g.counts[1]) continue;
        consider(evaluate(from, other, g.counts[0], g.counts[1], h.counts[0], h.counts[1]), [gi, other, hi]);
      }
    }
    if (action === undefined) break;
    const [gi, to, partner] = action;
    const from = bin[gi]!;
    place(gi, from, -1);
    place(gi, to, 1);
    bin[gi] = to;
    if (partner >= 0) {
      place(partner, to, -1);
      place(partner, from, 1);
      bin[partner] = from;
    }
  }
  return bin;
}

/** The sample indices of the groups in each bin, each list sorted ascending. */
function binIndices(groupList: readonly Group[], bin: readonly number[], k: number): number[][] {
  const out = Array.from({ length: k }, () => [] as number[]);
  groupList.forEach((g, gi) => out[bin[gi]!]!.push(...g.members));
  for (const list of out) list.sort((a, b) => a - b);
  return out;
}

/**
 * Splits sample indices into train and validation, seeded, stratified by label and, when
 * `groups` is given, grouped: every sample of a group lands on the same side (a sample without
 * a group is its own group; a group's class is the label most of its samples have, ties going
 * to hemorrhage). Each label gives the validation side `fraction` of its samples, within one
 * sample whenever the group sizes allow; each class with two or more groups puts at least one
 * group on each side. The same seed gives the same split.
 *
 * @param labels - One label per sample: 0 (normal) or 1 (hemorrhage).
 * @param fraction - Share of each class that goes to validation, in (0, 1).
 * @param seed - Seed of the assignment.
 * @param groups - Optional group (patient, scan) of each sample; same length as `labels`.
 * @returns Train and validation indices, each sorted ascending.
 * @throws {@link CtHemorrhageError} `BAD_INPUT` for a fraction outside (0, 1), a label other
 * than 0 or 1, or `groups` of another length; `EMPTY_DATASET` for no labels.
 *
 * @example
 * ```ts
 * const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
 * const groups = ['a', 'a', 'b', 'c', 'd', 'e', 'e', 'f', 'g', 'h'];
 * const { train, validation } = stratifiedGroupSplit(labels, 0.4, 3, groups);
 * // train:      [2, 3, 4, 7, 8, 9]
 * // validation: [0, 1, 5, 6]  (groups 'a' and 'e' whole: two normals, two hemorrhages)
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
  const groupList = buildGroups(labels, groups);
  const bin = assignGroups(groupList, [fraction, 1 - fraction], createRng(seed));
  const [validation, train] = binIndices(groupList, bin, 2) as [number[], number[]];
  return { train, validation };
}

/**
 * Splits sample indices into `k` folds for cross-validation, seeded, stratified by label and
 * grouped like {@link stratifiedGroupSplit}: every sample of a group lands in the same fold,
 * and each fold holds `1 / k` of each label's samples, within one sample whenever the group
 * sizes allow, and at least one group of each class. Fold `f`'s `validation` is fold `f` and
 * its `train` is every other fold; together the validations cover each index exactly once.
 *
 * @param labels - One label per sample: 0 (normal) or 1 (hemorrhage).
 * @param k - Number of folds, an integer >= 2 and at most the number of groups of each class.
 * @param seed - Seed of the assignment.
 * @param groups - Optional group (patient, scan) of each sample; same length as `labels`.
 * @returns `k` splits, each with train and validation indices sorted ascending.
 * @throws {@link CtHemorrhageError} `BAD_INPUT` for a bad `k`, a class with fewer groups than
 * `k`, a label other than 0 or 1, or `groups` of another length; `EMPTY_DATASET` for no labels.
 *
 * @example
 * ```ts
 * const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
 * const groups = ['a', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'];
 * const folds = stratifiedGroupKFold(labels, 3, 1, groups);
 * folds.map((f) => f.validation);
 * // [[3, 5, 8, 10], [0, 1, 9, 11], [2, 4, 6, 7]]  (two normals and two hemorrhages each)
 * folds[0].train; // [0, 1, 2, 4, 6, 7, 9, 11]
 * ```
 */
export function stratifiedGroupKFold(
  labels: ArrayLike<number>,
  k: number,
  seed: number,
  groups?: readonly (string | undefined)[],
): SplitIndices[] {
  if (!(Number.isInteger(k) && k >= 2)) {
    throw new CtHemorrhageError('BAD_INPUT', `The number of folds must be an integer >= 2; got ${k}.`, {
      option: 'k',
      expected: 'an integer >= 2',
      received: k,
    });
  }
  const groupList = buildGroups(labels, groups);
  for (const cls of [0, 1] as const) {
    const n = groupList.filter((g) => g.cls === cls).length;
    if (n > 0 && n < k) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `Class ${CLASS_NAMES[cls]} has ${n} group${n === 1 ? '' : 's'}, too few for ${k} folds ` +
          `(each fold needs one); ${n >= 2 ? `use k <= ${n} or ` : ''}add samples of that class.`,
        { option: 'k', expected: `an integer from 2 to ${n}`, received: k, class: cls, groups: n },
      );
    }
  }
  const bin = assignGroups(groupList, new Array<number>(k).fill(1 / k), createRng(seed));
  const folds = binIndices(groupList, bin, k);
  return folds.map((validation, f) => ({
    train: folds.filter((_, o) => o !== f).flat().sort((a, b) => a - b),
    validation,
  }));
}
