import type { LabeledImage } from '../data/index.js';
import { CtHemorrhageError } from '../errors/index.js';
import { formatSkipped, loadImageFolder, type DicomGroupBy, type SkippedFile } from '../node/data/index.js';
import { generatePhantoms } from '../phantom/index.js';
import { isHuImage } from '../preprocessing/index.js';
import { DEFAULT_WINDOW_STACK, parseWindowSpec, type WindowSpec } from '../windowing/index.js';
import { numberFlag, type OptionSpec } from './args.js';
import type { Output } from './output.js';

/** Options every command that reads a labelled dataset shares. */
export const DATA_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.freeze({
  data: {
    type: 'string',
    value: 'dir|csv',
    help: 'Dataset: a folder (labels.csv, class sub-folders, or DICOM files with --labels) or a CSV of path,label[,group]',
  },
  labels: { type: 'string', value: 'csv', help: 'Label table for a folder: key (file name, path or SOPInstanceUID),label[,group]' },
  'group-by': { type: 'string', value: 'key', help: 'Group DICOM slices without a group column by patient, study, series or none', default: 'patient' },
  'hu-offset': { type: 'string', value: 'n', help: 'Read 16-bit grey PNGs as HU: HU = stored value - n (e.g. 1024)' },
  strict: { type: 'boolean', help: 'Stop at the first unreadable file instead of reporting all of them at the end' },
});

/** The `--windows` option of train. */
export const WINDOWS_OPTION: OptionSpec = {
  type: 'string',
  value: 'list',
  help: 'CT windows as channels, e.g. brain,subdural,soft-tissue or 40/80 (HU input); default for DICOM data: that stack',
};

/** Parses `--windows` (comma-separated presets, 'file' or level/width). */
export function windowsFlag(values: Record<string, unknown>): WindowSpec[] | undefined {
  if (typeof values.windows !== 'string') return undefined;
  return values.windows.split(',').map((w) => parseWindowSpec(w.trim()));
}

/** Loads a labelled dataset as the data flags say, reporting every skipped file at the end. */
export async function loadCliData(
  values: Record<string, unknown>,
  source: string,
  io: Output,
  classNames?: readonly [string, string],
  onSkipped?: (skipped: SkippedFile) => void,
): Promise<LabeledImage[]> {
  const groupBy = String(values['group-by'] ?? 'patient') as DicomGroupBy;
  if (!['patient', 'study', 'series', 'none'].includes(groupBy)) {
    throw new CtHemorrhageError('BAD_INPUT', `--group-by must be patient, study, series or none; got "${groupBy}".`, {
      option: 'group-by',
      received: groupBy,
    });
  }
  const huOffset = values['hu-offset'] === undefined ? undefined : numberFlag(values, 'hu-offset', Number.isFinite, 'a number');
  const folder = await loadImageFolder(source, {
    groupBy,
    ...(typeof values.labels === 'string' ? { labels: values.labels } : {}),
    ...(huOffset !== undefined ? { huOffset } : {}),
    ...(classNames ? { classNames } : {}),
    strict: values.strict === true,
    onProgress: (done, total) => io.status(`decoding ${done}/${total}`),
  });
  const { samples, skipped } = folder;
  const pos = samples.filter((s) => s.label === 1).length;
  const groups = new Set(samples.map((s) => s.group).filter((g) => g !== undefined)).size;
  const kind = samples.some((s) => isHuImage(s.image)) ? 'HU slices' : 'images';
  io.err(
    `data: ${samples.length} ${kind} from ${source} (${pos} hemorrhage, ${samples.length - pos} normal` +
      `${groups > 0 ? `, ${groups} groups` : ''}; layout ${folder.layout}; ${skipped.length} skipped)`,
  );
  if (skipped.length > 0) io.err(formatSkipped(skipped, samples.length + skipped.length));
  if (folder.unlabelled.length > 0) {
    const shown = folder.unlabelled.slice(0, 5).join(', ');
    io.err(`${folder.unlabelled.length} files have no row in the label table and were left out: ${shown}${folder.unlabelled.length > 5 ? ', ...' : ''}`);
  }
  skipped.forEach((s) => onSkipped?.(s));
  return samples;
}

/** The windows a model trained on `data` should take: `--windows`, else the default stack for HU data, else none. */
export function modelWindows(values: Record<string, unknown>, data: readonly LabeledImage[]): WindowSpec[] | undefined {
  const chosen = windowsFlag(values);
  const hu = data.length > 0 && isHuImage((data[0] as LabeledImage).image);
  if (chosen && !hu) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      '--windows needs data in Hounsfield units (DICOM files, or 16-bit PNGs with --hu-offset); these are display images.',
      { option: 'windows' },
    );
  }
  return chosen ?? (hu ? [...DEFAULT_WINDOW_STACK] : undefined);
}

/** `--data` as the data flags say, or (without it) generated phantoms, in HU when `--windows` is given. */
export async function loadTrainingData(
  values: Record<string, unknown>,
  phantoms: number,
  size: number,
  seed: number,
  io: Output,
): Promise<LabeledImage[]> {
  if (typeof values.data === 'string') return loadCliData(values, values.data, io);
  const hu = typeof values.windows === 'string';
  io.err(
    `data: no --data given; using ${phantoms} generated phantom slices of ${size}x${size} (seed ${seed}, ` +
      `${hu ? 'in HU' : 'brain window, 8-bit'})`,
  );
  return generatePhantoms({ count: phantoms, size, seed, units: hu ? 'hu' : 'pixels' });
}
