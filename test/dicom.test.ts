import dicomParser from 'dicom-parser';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/data/csv.js';
import { isDicom, readDicom, type DicomSlice } from '../src/index.js';
import { requireSharedData } from './helpers.js';

/** Every .dcm under `dir`, as paths relative to it with forward slashes, sorted. */
function listDcm(dir: string, sub = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, sub))) {
    const rel = sub ? `${sub}/${entry}` : entry;
    if (statSync(join(dir, rel)).isDirectory()) out.push(...listDcm(dir, rel));
    else if (entry.toLowerCase().endsWith('.dcm')) out.push(rel);
  }
  return out.sort();
}

/** A manifest cell: a plain number, or a Python list of quoted numbers such as "['00040', '00040']". */
function nums(cell: string): number[] {
  if (cell === '') return [];
  if (cell.startsWith('[')) return (JSON.parse(cell.replace(/'/g, '"')) as string[]).map(Number);
  return [Number(cell)];
}

interface Row {
  readonly [column: string]: string;
}

/** Pixels checked in every file: corners, centre, and a few scattered ones (x, y). */
const FIXED_PIXELS: readonly (readonly [number, number])[] = [
  [0, 0],
  [511, 0],
  [0, 511],
  [511, 511],
  [256, 256],
  [255, 200],
  [300, 100],
  [128, 384],
  [400, 260],
  [200, 320],
];

/** The stored pixel values read independently of readDicom: a DataView at the PixelData offset, masked and sign-extended. */
function rawPixels(bytes: Uint8Array): Int32Array {
  const ds = dicomParser.parseDicom(bytes);
  const pd = ds.elements.x7fe00010;
  if (!pd) throw new Error('no pixel data');
  const rows = ds.uint16('x00280010') as number;
  const cols = ds.uint16('x00280011') as number;
  const bitsStored = ds.uint16('x00280101') as number;
  const signed = ds.uint16('x00280103') === 1;
  expect(ds.uint16('x00280100')).toBe(16);
  const view = new DataView(bytes.buffer, bytes.byteOffset + pd.dataOffset, rows * cols * 2);
  const out = new Int32Array(rows * cols);
  for (let i = 0; i < out.length; i++) {
    let v = view.getUint16(i * 2, true) & ((1 << bitsStored) - 1);
    if (signed && v & (1 << (bitsStored - 1))) v -= 1 << bitsStored;
    out[i] = v;
  }
  return out;
}

describe('readDicom on the real head-CT DICOM files in shared data (../shared/data/dicom)', () => {
  const root = requireSharedData('dicom');
  const files = listDcm(root);
  const rows = new Map<string, Row>();
  const slices = new Map<string, DicomSlice>();
  /** readDicom of a file, cached, so the series checks do not depend on the per-file tests running first. */
  const sliceOf = (file: string): DicomSlice => {
    let slice = slices.get(file);
    if (!slice) {
      slice = readDicom(new Uint8Array(readFileSync(join(root, file))), { name: file });
      slices.set(file, slice);
    }
    return slice;
  };

  beforeAll(() => {
    const [header, ...body] = parseCsv(readFileSync(join(root, 'manifest.csv'), 'utf8'));
    if (!header) throw new Error('empty manifest');
    for (const cells of body) rows.set(cells[0] as string, Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
  });

  it('finds every file of the manifest, and only those', () => {
    expect(files.length).toBe(31);
    expect([...rows.keys()].sort()).toEqual(files);
  });

  it.each(listDcm(requireSharedData('dicom')))('%s: tags, windows, position and HU at fixed pixels match the manifest and the raw pixel data', (file) => {
    const bytes = new Uint8Array(readFileSync(join(root, file)));
    const row = rows.get(file);
    if (!row) throw new Error(`${file} is not in manifest.csv`);
    expect(isDicom(bytes)).toBe(true);
    const slice = readDicom(bytes, { name: file });
    const m = slice.meta;

    expect(m.transferSyntaxUid).toBe(row.transfer_syntax);
    expect(m.modality).toBe(row.Modality);
    expect(slice.height).toBe(Number(row.Rows));
    expect(slice.width).toBe(Number(row.Columns));
    expect([m.rows, m.columns]).toEqual([Number(row.Rows), Number(row.Columns)]);
    expect(m.bitsAllocated).toBe(Number(row.BitsAllocated));
    expect(m.bitsStored).toBe(Number(row.BitsStored));
    expect(m.highBit).toBe(Number(row.BitsStored) - 1);
    expect(m.pixelRepresentation).toBe(Number(row.PixelRepresentation));
    expect(m.rescaleIntercept).toBe(Number(row.RescaleIntercept));
    expect(m.rescaleSlope).toBe(Number(row.RescaleSlope));
    expect(m.photometricInterpretation).toBe('MONOCHROME2');

    const centers = nums(row.WindowCenter as string);
    const widths = nums(row.WindowWidth as string);
    const windows = centers.map((level, i) => ({ level, width: widths[i] }));
    expect(m.windows).toEqual(windows);
    expect(slice.window).toEqual(windows[0]);

    expect(m.pixelPaddingValue).toBe(row.PixelPaddingValue === '' ? undefined : Number(row.PixelPaddingValue));
    const position = nums(row.ImagePositionPatient as string);
    expect(m.imagePositionPatient).toEqual(position);
    expect(m.pixelSpacing).toEqual(nums(row.PixelSpacing as string));
    expect(m.sliceThickness).toBe(row.SliceThickness === '' ? undefined : Number(row.SliceThickness));
    expect(m.gantryTilt).toBe(row.GantryDetectorTilt === '' ? undefined : Number(row.GantryDetectorTilt));

    const raw = rawPixels(bytes);
    let min = Infinity;
    let max = -Infinity;
    for (const v of raw) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([Number(row.raw_min), Number(row.raw_max)]);

    const padding = m.pixelPaddingValue;
    for (const [x, y] of FIXED_PIXELS) {
      const i = y * slice.width + x;
      const stored = raw[i] as number;
      const expected = stored === padding ? -1000 : stored * m.rescaleSlope + m.rescaleIntercept;
      expect(slice.hu[i], `${file} pixel (${x}, ${y}), stored ${stored}`).toBe(expected);
    }
    // And over the whole image.
    let mismatches = 0;
    for (let i = 0; i < raw.length; i++) {
      const stored = raw[i] as number;
      if (slice.hu[i] !== (stored === padding ? -1000 : stored * m.rescaleSlope + m.rescaleIntercept)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('RSNA ID_000000e27 (uint16, BitsStored 12, zero-padded multi-valued windows) reads as the manifest says', () => {
    const slice = sliceOf('rsna_ich_examples/ID_000000e27.dcm');
    expect(slice.meta).toMatchObject({ bitsStored: 12, pixelRepresentation: 0, rescaleIntercept: -1024 });
    expect(slice.meta.windows).toEqual([
      { level: 40, width: 80 },
      { level: 40, width: 80 },
    ]);
    expect(slice.window).toEqual({ level: 40, width: 80 });
  });

  it('GE series: PixelPaddingValue -1500 pixels read as -1000 HU (air), a corner is padding, no -1500 HU is left', () => {
    const ge = files.filter((f) => f.startsWith('ge_hispeed_head_ct_gantry_tilt/'));
    expect(ge).toHaveLength(28);
    for (const file of ge) {
      const slice = sliceOf(file);
      expect(slice.meta.pixelPaddingValue).toBe(-1500);
      const raw = rawPixels(new Uint8Array(readFileSync(join(root, file))));
      expect(raw[0]).toBe(-1500); // top-left corner lies outside the circular field of view
      expect(slice.hu[0]).toBe(-1000);
      let padded = 0;
      let notAir = 0;
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] === -1500) {
          padded++;
          if (slice.hu[i] !== -1000) notAir++;
        }
      }
      expect(padded).toBeGreaterThan(10_000);
      expect(notAir).toBe(0);
      expect(slice.hu.includes(-1500)).toBe(false);
    }
  });

  it('GE series: one SeriesInstanceUID, distinct SOPInstanceUIDs, z increasing with the instance number', () => {
    const ge = files
      .filter((f) => f.startsWith('ge_hispeed_head_ct_gantry_tilt/'))
      .map((f) => sliceOf(f).meta)
      .sort((a, b) => (a.instanceNumber as number) - (b.instanceNumber as number));
    expect(new Set(ge.map((m) => m.seriesInstanceUid)).size).toBe(1);
    expect(ge[0]?.seriesInstanceUid).toMatch(/^[0-9.]+$/);
    expect(new Set(ge.map((m) => m.studyInstanceUid)).size).toBe(1);
    expect(new Set(ge.map((m) => m.sopInstanceUid)).size).toBe(28);
    expect(ge.map((m) => m.instanceNumber)).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
    const z = ge.map((m) => (m.imagePositionPatient as readonly number[])[2] as number);
    for (let i = 1; i < z.length; i++) expect(z[i]).toBeGreaterThan(z[i - 1] as number);
    expect(ge.every((m) => m.gantryTilt === 18.5)).toBe(true);
    expect(ge.every((m) => m.imageOrientationPatient?.length === 6)).toBe(true);
  });

  it('a real file cut in half fails with DECODE_FAILED naming it', () => {
    const file = files[0] as string;
    const bytes = new Uint8Array(readFileSync(join(root, file)));
    expect(() => readDicom(bytes.slice(0, bytes.length >> 1), { name: file })).toThrow(
      expect.objectContaining({ code: 'DECODE_FAILED', message: expect.stringContaining(file) }),
    );
  });
});
