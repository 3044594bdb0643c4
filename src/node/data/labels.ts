import { idKey, parseCsv } from '../../data/index.js';
import { CtHemorrhageError } from '../../errors/index.js';

/** One row of a label table. */
export interface LabelRow {
  /** The key as written (an id, a file path or a SOPInstanceUID). */
  readonly key: string;
  readonly label: 0 | 1;
  readonly group?: string;
  /** Line in the file (1-based), for messages. */
  readonly line: number;
}

const LABEL_COLUMNS = ['label', 'hemorrhage', 'class', 'target', 'any'];
const GROUP_COLUMNS = ['group', 'patient', 'patient_id', 'patientid', 'study', 'study_id', 'scan'];

function parseLabel(value: string, classNames: readonly [string, string]): 0 | 1 | undefined {
  const v = value.trim().toLowerCase();
  if (v === '0' || v === classNames[0].toLowerCase()) return 0;
  if (v === '1' || v === classNames[1].toLowerCase()) return 1;
  return undefined;
}

/**
 * Parses a label table: a header, then one row per input. The first column is the key (an id,
 * a path or a SOPInstanceUID); the label is the column named `label`, `hemorrhage`, `class`,
 * `target` or `any`, else the second column, with values `0`/`1` or the class names; an optional
 * `group` column (or `patient`, `study`...) gives the group. Throws `BAD_INPUT` naming the file
 * and line for a bad row or a duplicate key.
 */
export function parseLabelTable(text: string, file: string, classNames: readonly [string, string]): LabelRow[] {
  const rows = parseCsv(text);
  const header = rows[0]?.map((h) => h.trim().toLowerCase());
  if (!header || header.length < 2) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `${file} needs a header with a key column and a label column (e.g. "id, hemorrhage" or "path,label,group").`,
      { file },
    );
  }
  const named = header.findIndex((h, i) => i > 0 && LABEL_COLUMNS.includes(h));
  const labelCol = named > 0 ? named : 1;
  const groupCol = header.findIndex((h, i) => i > 0 && i !== labelCol && GROUP_COLUMNS.includes(h));
  const seen = new Map<string, number>();
  return rows.slice(1).map((row, i) => {
    const line = i + 2;
    const key = row[0]?.trim() ?? '';
    const label = parseLabel(row[labelCol] ?? '', classNames);
    if (key === '' || label === undefined) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `${file} line ${line} ("${row.join(',')}") needs a key and a label 0/1 (or ${classNames[0]}/${classNames[1]}) ` +
          `in column "${rows[0]?.[labelCol] ?? labelCol + 1}".`,
        { file, received: row, line },
      );
    }
    const k = idKey(key);
    const first = seen.get(k);
    if (first !== undefined) {
      throw new CtHemorrhageError('BAD_INPUT', `${file} lists "${key}" twice (lines ${first} and ${line}); keep one row per input.`, {
        file,
        received: key,
        line,
      });
    }
    seen.set(k, line);
    const group = groupCol > 0 ? row[groupCol]?.trim() : undefined;
    return { key, label, line, ...(group ? { group } : {}) };
  });
}

/** Parses a two-column `id,group` table into a map keyed by {@link idKey}. */
export function parseGroupTable(text: string): Map<string, string> {
  const groups = new Map<string, string>();
  for (const [id, group] of parseCsv(text).slice(1)) {
    if (id && group) groups.set(idKey(id), group);
  }
  return groups;
}
