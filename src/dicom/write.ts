import { CtHemorrhageError } from '../errors/index.js';
import type { CtWindow } from '../windowing/index.js';
import { EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntax.js';
import { checkUid, dicomUid } from './uid.js';

/** SOP Class UID of CT Image Storage. */
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

/** Options of {@link writeDicom}. Every option has a default; UIDs left out are derived with {@link dicomUid}. */
export interface DicomWriteOptions {
  /** Encoding of the data set: `'explicit'` (Explicit VR Little Endian, default) or `'implicit'` (Implicit VR Little Endian). */
  transferSyntax?: 'explicit' | 'implicit';
  /** 1: signed 16-bit stored values (default); 0: unsigned. */
  pixelRepresentation?: 0 | 1;
  /** BitsStored, 8 to 16 (default 16; 12 is the other common choice). HighBit is `bitsStored - 1`. */
  bitsStored?: number;
  /** RescaleIntercept: HU = stored * slope + intercept. Default 0 when signed, -1024 when unsigned. */
  rescaleIntercept?: number;
  /** RescaleSlope; must not be 0. Default 1. */
  rescaleSlope?: number;
  /** PixelSpacing in mm, `[row spacing, column spacing]`. Default `[1, 1]`. */
  pixelSpacing?: readonly [number, number];
  /** SliceThickness in mm. Default 1. */
  sliceThickness?: number;
  /** WindowCenter/WindowWidth pairs, written as multi-valued elements. Default: the slice's `window`, if any. */
  windows?: readonly CtWindow[];
  /** PatientID, at most 64 characters. Default `'ANONYMOUS'`. */
  patientId?: string;
  /** StudyInstanceUID. Default `dicomUid('study', patientId)`. */
  studyInstanceUid?: string;
  /** SeriesInstanceUID. Default `dicomUid('series', studyInstanceUid)`. */
  seriesInstanceUid?: string;
  /** SOPInstanceUID. Default `dicomUid('sop', seriesInstanceUid, instanceNumber)`, so give each slice of a series its own instance number. */
  sopInstanceUid?: string;
  /** InstanceNumber, an integer. Default 1. */
  instanceNumber?: number;
  /** ImagePositionPatient in mm. Default `[0, 0, (instanceNumber - 1) * sliceThickness]`, so numbered slices stack along z. */
  imagePositionPatient?: readonly [number, number, number];
  /**
   * PixelPaddingValue, a stored (raw) value, not HU: a 16-bit integer of the chosen signedness.
   * Pixels flagged in `padding` are stored with it, and {@link readDicom} reads any pixel stored
   * with it as -1000 HU, including a non-padding pixel whose HU rounds to it, so pick a value no
   * real pixel takes (e.g. -2000 signed, or one outside the BitsStored range).
   */
  pixelPaddingValue?: number;
  /** Padding mask, one entry per pixel: non-zero pixels are stored as `pixelPaddingValue` (which must then be given). */
  padding?: Uint8Array;
}

function bad(option: string, message: string, received: unknown): CtHemorrhageError {
  return new CtHemorrhageError('BAD_INPUT', `writeDicom: ${message}`, { option, received });
}

function finite(v: number, option: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(option, `${option} must be a finite number; got ${String(v)}.`, v);
  return v;
}

/** A DS (decimal string) value: at most 16 characters. */
function ds(v: number, option: string): string {
  finite(v, option);
  let s = String(v);
  for (let p = 15; s.length > 16 && p >= 1; p--) s = String(Number(v.toPrecision(p)));
  return s;
}

function is(v: number, option: string): string {
  if (!Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) throw bad(option, `${option} must be an integer; got ${String(v)}.`, v);
  return String(v);
}

interface El {
  readonly tag: number;
  readonly vr: string;
  readonly value: Uint8Array;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

function str(tag: number, vr: string, s: string): El {
  const bytes = new Uint8Array(s.length + (s.length % 2));
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i) & 0xff;
  // Even length: UI values are padded with NUL, other strings with a space.
  if (s.length % 2 === 1) bytes[s.length] = vr === 'UI' ? 0 : 0x20;
  return { tag, vr, value: bytes };
}

function u16(tag: number, vr: 'US' | 'SS', n: number): El {
  const value = new Uint8Array(2);
  new DataView(value.buffer).setUint16(0, n & 0xffff, true);
  return { tag, vr, value };
}

function encode(elements: readonly El[], explicit: boolean): Uint8Array {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  let size = 0;
  for (const e of sorted) size += (explicit ? (LONG_VRS.has(e.vr) ? 12 : 8) : 8) + e.value.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let o = 0;
  for (const e of sorted) {
    view.setUint16(o, e.tag >>> 16, true);
    view.setUint16(o + 2, e.tag & 0xffff, true);
    o += 4;
    if (!explicit) {
      view.setUint32(o, e.value.length, true);
      o += 4;
    } else {
      out[o] = e.vr.charCodeAt(0);
      out[o + 1] = e.vr.charCodeAt(1);
      if (LONG_VRS.has(e.vr)) {
        view.setUint32(o + 4, e.value.length, true);
        o += 8;
      } else {
        view.setUint16(o + 2, e.value.length, true);
        o += 4;
      }
    }
    out.set(e.value, o);
    o += e.value.length;
  }
  return out;
}

let implementationUid: string | undefined;

/**
 * Writes a CT slice as an uncompressed DICOM Part 10 file (CT Image Storage,
 * 1.2.840.10008.5.1.4.1.1.2): 128-byte preamble, `"DICM"`, a file meta group in Explicit VR
 * Little Endian, then the data set in Explicit (default) or Implicit VR Little Endian, with
 * 16-bit MONOCHROME2 pixels.
 *
 * Each HU value is stored as `round((hu - intercept) / slope)` (nearest integer, halves up),
 * clamped to the range BitsStored and PixelRepresentation allow (e.g. -32768..32767 signed
 * 16-bit, 0..4095 unsigned 12-bit, i.e. -1024..3071 HU with the default intercept); HU outside it
 * are silently clamped, NaN throws `BAD_INPUT`. So `readDicom(writeDicom(x)).hu` gives back
 * integer HU exactly when they lie inside that range. Deterministic: the same slice and options
 * give the same bytes.
 *
 * @example
 * ```ts
 * const bytes = writeDicom({ hu: Int16Array.of(-1000, 0, 40, 80), width: 2, height: 2 }, {
 *   windows: [{ level: 40, width: 80 }],
 *   instanceNumber: 3,
 * });
 * isDicom(bytes);                 // true
 * readDicom(bytes).hu;            // Float32Array [-1000, 0, 40, 80]
 * readDicom(bytes).meta.windows;  // [{ level: 40, width: 80 }]
 * ```
 */
export function writeDicom(
  slice: { readonly hu: ArrayLike<number>; readonly width: number; readonly height: number; readonly window?: CtWindow },
  options: DicomWriteOptions = {},
): Uint8Array {
  const { hu, width, height } = slice;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0xffff || height > 0xffff) {
    throw bad('slice', `width and height must be integers from 1 to 65535; got ${String(width)} x ${String(height)}.`, { width, height });
  }
  const count = width * height;
  if (hu.length !== count) {
    throw bad('slice', `the slice has ${hu.length} HU values but ${width} x ${height} = ${count} pixels.`, hu.length);
  }
  const transferSyntax = options.transferSyntax ?? 'explicit';
  if (transferSyntax !== 'explicit' && transferSyntax !== 'implicit') {
    throw bad('transferSyntax', `transferSyntax must be 'explicit' or 'implicit'; got ${String(transferSyntax)}.`, transferSyntax);
  }
  const explicit = transferSyntax === 'explicit';
  const pr = options.pixelRepresentation ?? 1;
  if (pr !== 0 && pr !== 1) throw bad('pixelRepresentation', `pixelRepresentation must be 0 or 1; got ${String(pr)}.`, pr);
  const signed = pr === 1;
  const bitsStored = options.bitsStored ?? 16;
  if (!Number.isInteger(bitsStored) || bitsStored < 8 || bitsStored > 16) {
    throw bad('bitsStored', `bitsStored must be an integer from 8 to 16; got ${String(bitsStored)}.`, bitsStored);
  }
  const slope = finite(options.rescaleSlope ?? 1, 'rescaleSlope');
  if (slope === 0) throw bad('rescaleSlope', 'rescaleSlope must not be 0.', slope);
  const intercept = finite(options.rescaleIntercept ?? (signed ? 0 : -1024), 'rescaleIntercept');
  const min = signed ? -(2 ** (bitsStored - 1)) : 0;
  const max = signed ? 2 ** (bitsStored - 1) - 1 : 2 ** bitsStored - 1;

  const { padding, pixelPaddingValue } = options;
  if (padding !== undefined && padding.length !== count) {
    throw bad('padding', `the padding mask has ${padding.length} entries but the slice has ${count} pixels.`, padding.length);
  }
  if (padding !== undefined && pixelPaddingValue === undefined) {
    throw bad('pixelPaddingValue', 'a padding mask needs pixelPaddingValue, the stored value its pixels get (e.g. -2000).', undefined);
  }
  if (pixelPaddingValue !== undefined) {
    const [lo, hi] = signed ? [-32768, 32767] : [0, 65535];
    if (!Number.isInteger(pixelPaddingValue) || pixelPaddingValue < lo || pixelPaddingValue > hi) {
      throw bad(
        'pixelPaddingValue',
        `pixelPaddingValue is a stored value and must be an integer from ${lo} to ${hi} for ${signed ? 'signed' : 'unsigned'} pixels; ` +
          `got ${String(pixelPaddingValue)}.`,
        pixelPaddingValue,
      );
    }
  }

  const windows = options.windows ?? (slice.window ? [slice.window] : []);
  for (const w of windows) {
    if (!w || !Number.isFinite(w.level) || !Number.isFinite(w.width) || !(w.width > 0)) {
      throw bad('windows', `each window needs a finite level and a width > 0 in HU; got ${JSON.stringify(w)}.`, w);
    }
  }
  const patientId = options.patientId ?? 'ANONYMOUS';
  if (typeof patientId !== 'string' || patientId.length > 64 || /[\\\u0000-\u001f\u007f-\uffff]/.test(patientId)) {
    throw bad(
      'patientId',
      `patientId must be at most 64 printable ASCII characters without a backslash; got ${JSON.stringify(patientId)}.`,
      patientId,
    );
  }
  const instanceNumber = options.instanceNumber ?? 1;
  is(instanceNumber, 'instanceNumber');
  const studyUid = checkUid(options.studyInstanceUid ?? dicomUid('study', patientId), 'studyInstanceUid');
  const seriesUid = checkUid(options.seriesInstanceUid ?? dicomUid('series', studyUid), 'seriesInstanceUid');
  const sopUid = checkUid(options.sopInstanceUid ?? dicomUid('sop', seriesUid, instanceNumber), 'sopInstanceUid');
  const thickness = finite(options.sliceThickness ?? 1, 'sliceThickness');
  const spacing = options.pixelSpacing ?? [1, 1];
  const position = options.imagePositionPatient ?? [0, 0, (instanceNumber - 1) * thickness];
  if (spacing.length !== 2 || !(spacing[0] > 0) || !(spacing[1] > 0)) {
    throw bad('pixelSpacing', `pixelSpacing must be two spacings > 0 in mm; got ${JSON.stringify(spacing)}.`, spacing);
  }
  if (position.length !== 3) throw bad('imagePositionPatient', 'imagePositionPatient must hold x, y and z.', position);
  const list = (values: readonly number[], option: string) => values.map((v) => ds(v, option)).join('\\');

  // Pixel data: 16-bit little-endian words.
  const pixelBytes = new Uint8Array(count * 2);
  const pixelView = new DataView(pixelBytes.buffer);
  for (let i = 0; i < count; i++) {
    let stored: number;
    if (padding !== undefined && padding[i] !== 0) stored = pixelPaddingValue as number;
    else {
      const v = hu[i] as number;
      if (Number.isNaN(v)) throw bad('slice', `the HU value at pixel ${i} is NaN.`, v);
      stored = Math.round((v - intercept) / slope);
      stored = stored < min ? min : stored > max ? max : stored;
    }
    pixelView.setUint16(i * 2, stored & 0xffff, true);
  }

  const dataSet: El[] = [
    str(0x00080008, 'CS', 'DERIVED\\SECONDARY\\AXIAL'),
    str(0x00080016, 'UI', CT_IMAGE_STORAGE),
    str(0x00080018, 'UI', sopUid),
    str(0x00080020, 'DA', ''),
    str(0x00080030, 'TM', ''),
    str(0x00080050, 'SH', ''),
    str(0x00080060, 'CS', 'CT'),
    str(0x00080070, 'LO', ''),
    str(0x00080090, 'PN', ''),
    str(0x00100010, 'PN', ''),
    str(0x00100020, 'LO', patientId),
    str(0x00100030, 'DA', ''),
    str(0x00100040, 'CS', ''),
    str(0x00180050, 'DS', ds(thickness, 'sliceThickness')),
    str(0x00180060, 'DS', ''),
    str(0x0020000d, 'UI', studyUid),
    str(0x0020000e, 'UI', seriesUid),
    str(0x00200010, 'SH', ''),
    str(0x00200011, 'IS', ''),
    str(0x00200013, 'IS', String(instanceNumber)),
    str(0x00200032, 'DS', list(position, 'imagePositionPatient')),
    str(0x00200037, 'DS', '1\\0\\0\\0\\1\\0'),
    str(0x00200052, 'UI', dicomUid('frame-of-reference', studyUid)),
    str(0x00201040, 'LO', ''),
    u16(0x00280002, 'US', 1),
    str(0x00280004, 'CS', 'MONOCHROME2'),
    u16(0x00280010, 'US', height),
    u16(0x00280011, 'US', width),
    str(0x00280030, 'DS', list(spacing, 'pixelSpacing')),
    u16(0x00280100, 'US', 16),
    u16(0x00280101, 'US', bitsStored),
    u16(0x00280102, 'US', bitsStored - 1),
    u16(0x00280103, 'US', pr),
    str(0x00281052, 'DS', ds(intercept, 'rescaleIntercept')),
    str(0x00281053, 'DS', ds(slope, 'rescaleSlope')),
    str(0x00281054, 'LO', 'HU'),
    { tag: 0x7fe00010, vr: 'OW', value: pixelBytes },
  ];
  if (pixelPaddingValue !== undefined) dataSet.push(u16(0x00280120, signed ? 'SS' : 'US', pixelPaddingValue));
  if (windows.length > 0) {
    dataSet.push(str(0x00281050, 'DS', list(windows.map((w) => w.level), 'windows')));
    dataSet.push(str(0x00281051, 'DS', list(windows.map((w) => w.width), 'windows')));
  }

  implementationUid ??= dicomUid('ct-hemorrhage', 'implementation');
  const metaBody = encode(
    [
      { tag: 0x00020001, vr: 'OB', value: Uint8Array.of(0, 1) },
      str(0x00020002, 'UI', CT_IMAGE_STORAGE),
      str(0x00020003, 'UI', sopUid),
      str(0x00020010, 'UI', explicit ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN),
      str(0x00020012, 'UI', implementationUid),
      str(0x00020013, 'SH', 'CT_HEMORRHAGE'),
    ],
    true,
  );
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, metaBody.length, true);
  const meta = encode([{ tag: 0x00020000, vr: 'UL', value: groupLength }], true);
  const body = encode(dataSet, explicit);

  const out = new Uint8Array(132 + meta.length + metaBody.length + body.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.set(meta, 132);
  out.set(metaBody, 132 + meta.length);
  out.set(body, 132 + meta.length + metaBody.length);
  return out;
}
