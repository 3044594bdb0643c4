// The out-of-fold scores of npm run accuracy as CSV (--scores <file>): one row per model, seed
// and image, with the fold that held it out and the threshold that fold's model chose on its
// validation split, so thresholds and calibration can be studied without training again.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CrossValidation } from '../../src/crossval/index.js';

export const SCORES_HEADER = 'model,seed,id,group,label,fold,score,threshold';

/** CSV rows (no header) of one cross-validation run. */
export function scoreRows(model: string, seed: number, cv: CrossValidation): string[] {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return cv.ids.map((id, i) => {
    const fold = cv.fold[i] as number;
    const threshold = cv.folds[fold]?.metrics.threshold;
    return [model, seed, quote(id), quote(cv.groups[i] ?? ''), cv.labels[i], fold + 1, (cv.scores[i] as number).toFixed(6), threshold?.toFixed(6) ?? ''].join(',');
  });
}

/** Writes the header and `rows` to `path` (the whole file each time, so a crash keeps the runs so far). */
export async function writeScores(path: string, rows: readonly string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, [SCORES_HEADER, ...rows, ''].join('\n'));
}
