import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { idKey } from '../../data/index.js';
import { readDicomIds, type DicomIds } from '../../dicom/index.js';
import { CtHemorrhageError } from '../../errors/index.js';
import { DEFAULT_PREPROCESSING } from '../../preprocessing/index.js';
import { fileKind, isDir, listInputFiles, relativeId, sniffDicom } from './files.js';
import { parseGroupTable, parseLabelTable, type LabelRow } from './labels.js';

/**
 * How a dataset is laid out:
 * - `'labels-csv'`: a folder with `labels.csv` (Kaggle: `id, hemorrhage`) and optional `groups.csv`;
 * - `'class-folders'`: one sub-folder per class (`normal/`, `hemorrhage/`, or `0/`, `1/`);
 * - `'manifest'`: a CSV file of `path,label[,group]`, paths relative to the CSV's folder;
 * - `'dicom-folder'`: a folder of DICOM files, searched recursively, with labels from a CSV keyed
 *   by file name (or relative path) or by SOPInstanceUID.
 */
export type DatasetLayout = 'labels-csv' | 'class-folders' | 'manifest' | 'dicom-folder';

/** Which DICOM attribute groups slices when the label table has no group column. */
export type DicomGroupBy = 'patient' | 'study' | 'series' | 'none';

/** One labelled input file. */
export interface DatasetEntry {
  /** Path of the file. */
  readonly file: string;
  readonly label: 0 | 1;
  /** Identifier in reports: the path relative to the root without extension (`'000'`, `'normal/a'`), or a manifest's path. */
  readonly id: string;
  /** Group for grouped splits (patient, study, or `groups.csv`). */
  readonly group?: string;
}

/** What {@link listDataset} finds. */
export interface DatasetListing {
  /** The folder the entries are relative to. */
  readonly root: string;
  readonly layout: DatasetLayout;
  readonly entries: DatasetEntry[];
  /** Keys of the label table with no file: reported by the loaders (an error in strict mode). */
  readonly missing: string[];
  /**
   * Image and DICOM files in the folder that no row of the label table names (relative paths):
   * left out of the data set; the CLI lists them. Empty for manifests and class folders.
   */
  readonly unlabelled: string[];
}

/** Options of {@link listDataset}. */
export interface ListDatasetOptions {
  /** Class names `[negative, positive]`, matched against class folders and label values. Default `['normal', 'hemorrhage']`. */
  classNames?: readonly [string, string];
  /** A label table for a folder (path), instead of the folder's own `labels.csv`. */
  labels?: string;
  /** For DICOM without a group column: group by `'patient'` (PatientID, the default), `'study'`, `'series'` or `'none'`. */
  groupBy?: DicomGroupBy;
}

function groupOf(meta: DicomIds | undefined, by: DicomGroupBy): string | undefined {
  if (!meta || by === 'none') return undefined;
  const value = by === 'patient' ? meta.patientId : by === 'study' ? meta.studyInstanceUid : meta.seriesInstanceUid;
  return value && value.trim() !== '' ? `${by}:${value.trim()}` : undefined;
}

async function dicomMeta(file: string): Promise<DicomIds | undefined> {
  try {
    return readDicomIds(await readFile(file), { name: file });
  } catch {
    return undefined; // the loader reports the file when it decodes it
  }
}

/** Keys a file can match, best first: relative path, relative path without extension, file name, file name without extension. */
function keysOf(root: string, file: string): [string[], string[]] {
  const rel = relativeId(root, file);
  const base = basename(file);
  const strip = (name: string) => name.slice(0, name.length - extname(name).length);
  return [[rel, strip(rel)].map(idKey), [base, strip(base)].map(idKey)];
}

async function tableEntries(
  root: string,
  rows: readonly LabelRow[],
  files: readonly string[],
  groups: Map<string, string>,
  options: ListDatasetOptions,
): Promise<{ entries: DatasetEntry[]; missing: string[]; unlabelled: string[]; dicom: boolean }> {
  const byKey = new Map(rows.map((r) => [idKey(r.key), r]));
  const matched = new Map<LabelRow, { file: string; meta?: DicomIds; dicom: boolean }>();
  const groupBy = options.groupBy ?? 'patient';
  const needGroupMeta = (row: LabelRow) => row.group === undefined && groups.size === 0 && groupBy !== 'none';
  const isDicomFile = async (file: string) => fileKind(file) === 'dicom' || (fileKind(file) === 'unknown' && (await sniffDicom(file)));
  const keys = files.map((f) => keysOf(root, f));
  // Pass 1: relative paths; pass 2: file names; pass 3: SOPInstanceUID of DICOM files. A file
  // and a row are used once, so `masks/000.png` cannot take the row of `000.dcm`.
  const taken = new Set<string>();
  for (const pass of [0, 1] as const) {
    for (const [i, file] of files.entries()) {
      if (taken.has(file)) continue;
      const row = (keys[i] as [string[], string[]])[pass].map((k) => byKey.get(k)).find((r) => r !== undefined && !matched.has(r));
      if (row === undefined) continue;
      const dicom = await isDicomFile(file);
      const meta = dicom && needGroupMeta(row) ? await dicomMeta(file) : undefined;
      matched.set(row, { file, dicom, ...(meta ? { meta } : {}) });
      taken.add(file);
    }
  }
  if (matched.size < rows.length) {
    for (const file of files) {
      if (taken.has(file) || !(await isDicomFile(file))) continue;
      const meta = await dicomMeta(file);
      const row = meta?.sopInstanceUid ? byKey.get(idKey(meta.sopInstanceUid)) : undefined;
      if (row === undefined || matched.has(row)) continue;
      matched.set(row, { file, dicom: true, ...(meta ? { meta } : {}) });
      taken.add(file);
    }
  }
  const order = new Map(files.map((f, i) => [f, i]));
  const found = [...matched.entries()].sort((a, b) => (order.get(a[1].file) as number) - (order.get(b[1].file) as number));
  const entries = found.map(([row, { file, meta }]) => {
    const group = row.group ?? groups.get(idKey(row.key)) ?? groupOf(meta, groupBy);
    const rel = relativeId(root, file);
    const id = rel.slice(0, rel.length - extname(rel).length);
    return { file, label: row.label, id, ...(group !== undefined ? { group } : {}) };
  });
  const missing = rows.filter((r) => !matched.has(r)).map((r) => r.key);
  const unlabelled = files.filter((f) => !taken.has(f)).map((f) => relativeId(root, f));
  return { entries, missing, unlabelled, dicom: found.length > 0 && found.every(([, m]) => m.dicom) };
}

async function readTable(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new CtHemorrhageError('FILE_NOT_FOUND', `Could not read the label table ${path}.`, { file: path }, { cause });
  }
}

async function manifestListing(file: string, options: ListDatasetOptions): Promise<DatasetListing> {
  const root = dirname(file);
  const classNames = options.classNames ?? DEFAULT_PREPROCESSING.classNames;
  const rows = parseLabelTable(await readTable(file), file, classNames);
  const entries = rows.map((r) => ({
    file: isAbsolute(r.key) ? r.key : join(root, r.key),
    label: r.label,
    id: r.key,
    ...(r.group !== undefined ? { group: r.group } : {}),
  }));
  return { root, layout: 'manifest', entries, missing: [], unlabelled: [] };
}

async function classFolderListing(dir: string, classNames: readonly [string, string]): Promise<DatasetListing> {
  const byClass = new Map<0 | 1, string>();
  for (const name of (await readdir(dir)).sort()) {
    if (!(await isDir(join(dir, name)))) continue;
    const lower = name.toLowerCase();
    const label = lower === classNames[0].toLowerCase() || lower === '0' ? 0 : lower === classNames[1].toLowerCase() || lower === '1' ? 1 : undefined;
    if (label !== undefined) byClass.set(label, name);
  }
  if (byClass.size === 0) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `${dir} has no labels.csv and no class sub-folders named "${classNames[0]}"/"${classNames[1]}" (or "0"/"1"). ` +
        'Add a labels.csv (header "id, hemorrhage"), sort the images into those sub-folders, pass a label table ' +
        '(--labels), or give a manifest CSV of path,label[,group].',
      { file: dir },
    );
  }
  const entries: DatasetEntry[] = [];
  for (const [label, name] of [...byClass.entries()].sort((a, b) => a[0] - b[0])) {
    for (const file of await listInputFiles(join(dir, name), true)) {
      const rel = relativeId(dir, file);
      entries.push({ file, label, id: rel.slice(0, rel.length - extname(rel).length) });
    }
  }
  return { root: dir, layout: 'class-folders', entries, missing: [], unlabelled: [] };
}

/**
 * Finds the labelled inputs of a dataset without decoding them: a manifest CSV file
 * (`path,label[,group]`), or a folder in the Kaggle layout (`labels.csv` + `groups.csv`), with
 * class sub-folders, or of DICOM files searched recursively with a label table keyed by file
 * name, relative path or SOPInstanceUID. DICOM slices without a group column are grouped by
 * PatientID (`groupBy`). Throws `FILE_NOT_FOUND` for a missing source and `BAD_INPUT` for a
 * label table it cannot read.
 *
 * @example
 * ```ts
 * const listing = await listDataset('data/head_ct');
 * listing.layout;      // 'labels-csv'
 * listing.entries[0];  // { file: 'data/head_ct/000.png', label: 1, id: '000', group: 'g000' }
 * ```
 */
export async function listDataset(source: string, options: ListDatasetOptions = {}): Promise<DatasetListing> {
  const path = resolve(source);
  let isFile = false;
  try {
    isFile = (await stat(path)).isFile();
  } catch (cause) {
    throw new CtHemorrhageError('FILE_NOT_FOUND', `Data source ${source} does not exist.`, { file: source }, { cause });
  }
  if (isFile) {
    if (extname(path).toLowerCase() !== '.csv') {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `Data source ${source} is a file but not a CSV manifest; give a folder or a CSV of path,label[,group].`,
        { file: source },
      );
    }
    return manifestListing(path, options);
  }
  const classNames = options.classNames ?? DEFAULT_PREPROCESSING.classNames;
  const tablePath = options.labels ?? join(path, 'labels.csv');
  const tableText = options.labels !== undefined ? await readTable(tablePath) : await readFile(tablePath, 'utf8').catch(() => undefined);
  if (tableText === undefined) return classFolderListing(path, classNames);
  const rows = parseLabelTable(tableText, tablePath, classNames);
  const groupsText = await readFile(join(path, 'groups.csv'), 'utf8').catch(() => undefined);
  const groups = groupsText !== undefined ? parseGroupTable(groupsText) : new Map<string, string>();
  const files = await listInputFiles(path, true);
  const { entries, missing, unlabelled, dicom } = await tableEntries(path, rows, files, groups, options);
  return { root: path, layout: dicom ? 'dicom-folder' : 'labels-csv', entries, missing, unlabelled };
}
