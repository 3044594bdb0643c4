import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { CtHemorrhageError, type CtHemorrhageErrorCode } from '../errors/index.js';
import { checkImageSize, resolveMaxPixels } from '../decode/limit.js';
import type { HuImage } from '../preprocessing/index.js';
import type { CtWindow } from '../windowing/index.js';
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  READABLE_TRANSFER_SYNTAXES,
  transferSyntaxName,
} from './transfer-syntax.js';

/** HU given to padding pixels (PixelPaddingValue): air. */
const AIR_HU = -1000;

/** Options of {@link readDicom}. */
export interface ReadDicomOptions {
  /** Name shown in errors and in `error.details.file` (a file name, say). */
  name?: string;
  /**
   * Raw-deflate decompressor (RFC 1951, no zlib header), needed only for the Deflated Explicit VR
   * Little Endian transfer syntax (1.2.840.10008.1.2.1.99), which this browser-safe reader cannot
   * inflate on its own. In Node pass `(bytes) => zlib.inflateRawSync(bytes)`; in a browser, any
   * synchronous inflater such as fflate's `inflateSync`.
   */
  inflate?: (deflated: Uint8Array) => Uint8Array;
  /**
   * Largest slice accepted, in pixels (Rows x Columns), checked before the pixels are decoded:
   * larger files fail with `BAD_INPUT`. Default 16,777,216 (4096 x 4096); `Infinity` turns the
   * limit off.
   */
  maxPixels?: number;
}

/**
 * The tags of a DICOM slice that a CT pipeline needs, read by {@link readDicom}. Optional tags
 * missing from the file are `undefined`; lengths are in millimetres, angles in degrees.
 */
export interface DicomMeta {
  /** PatientID (0010,0020). */
  readonly patientId?: string;
  /** StudyInstanceUID (0020,000D). */
  readonly studyInstanceUid?: string;
  /** SeriesInstanceUID (0020,000E): slices of one series share it. */
  readonly seriesInstanceUid?: string;
  /** SOPInstanceUID (0008,0018): unique to each slice. */
  readonly sopInstanceUid?: string;
  /** Modality (0008,0060), `'CT'` for CT. */
  readonly modality?: string;
  /** InstanceNumber (0020,0013). */
  readonly instanceNumber?: number;
  /** ImagePositionPatient (0020,0032): x, y, z of the first pixel's centre. */
  readonly imagePositionPatient?: readonly [number, number, number];
  /** ImageOrientationPatient (0020,0037): row then column direction cosines. */
  readonly imageOrientationPatient?: readonly [number, number, number, number, number, number];
  /** PixelSpacing (0028,0030): `[row spacing, column spacing]`, i.e. `[dy, dx]`. */
  readonly pixelSpacing?: readonly [number, number];
  /** SliceThickness (0018,0050). */
  readonly sliceThickness?: number;
  /** GantryDetectorTilt (0018,1120). */
  readonly gantryTilt?: number;
  /** Rows (0028,0010): the image height. */
  readonly rows: number;
  /** Columns (0028,0011): the image width. */
  readonly columns: number;
  /** BitsAllocated (0028,0100): 8 or 16. */
  readonly bitsAllocated: number;
  /** BitsStored (0028,0101); the stored value is masked to this many bits. */
  readonly bitsStored: number;
  /** HighBit (0028,0102), always `bitsStored - 1` in files the reader accepts. */
  readonly highBit: number;
  /** PixelRepresentation (0028,0103): 0 unsigned, 1 signed (two's complement). */
  readonly pixelRepresentation: 0 | 1;
  /** RescaleSlope (0028,1053); 1 when absent. */
  readonly rescaleSlope: number;
  /** RescaleIntercept (0028,1052); 0 when absent. */
  readonly rescaleIntercept: number;
  /** PixelPaddingValue (0028,0120) as a stored (raw) value. */
  readonly pixelPaddingValue?: number;
  /** PixelPaddingRangeLimit (0028,0121): with the padding value, bounds a range of padding values. */
  readonly pixelPaddingRangeLimit?: number;
  /** Every valid WindowCenter/WindowWidth (0028,1050/1051) pair, in file order. */
  readonly windows: readonly CtWindow[];
  /** TransferSyntaxUID (0002,0010); for a file without a meta header, the syntax it was read as. */
  readonly transferSyntaxUid: string;
  /** PhotometricInterpretation (0028,0004): `'MONOCHROME2'` or `'MONOCHROME1'`. */
  readonly photometricInterpretation: string;
}

/** One CT slice read from DICOM: Hounsfield units plus the tags in {@link DicomMeta}. */
export interface DicomSlice extends HuImage {
  /** HU values, row-major, `width * height` of them; padding pixels are -1000 (air). */
  readonly hu: Float32Array;
  /** The slice's tags. */
  readonly meta: DicomMeta;
}

/**
 * True when `bytes` look like a DICOM Part 10 file: at least 132 bytes with `"DICM"` at byte 128.
 * A cheap sniff for loaders; {@link readDicom} also reads files without that preamble.
 *
 * @example
 * ```ts
 * isDicom(await readFile('slice.dcm')); // true
 * isDicom(await readFile('slice.png')); // false
 * ```
 */
export function isDicom(bytes: Uint8Array | ArrayBuffer): boolean {
  const b = asBytes(bytes);
  return b.length >= 132 && b[128] === 0x44 && b[129] === 0x49 && b[130] === 0x43 && b[131] === 0x4d;
}

function asBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  return bytes instanceof Uint8Array ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
}

/** dicom-parser throws strings, Errors, and `{ exception, dataSet }` objects; this unwraps them. */
function unwrap(thrown: unknown): unknown {
  if (thrown !== null && typeof thrown === 'object' && 'exception' in thrown) return (thrown as { exception: unknown }).exception;
  return thrown;
}

function reasonOf(thrown: unknown): string {
  const inner = unwrap(thrown);
  return inner instanceof Error ? inner.message : String(inner);
}

function causeOf(thrown: unknown): Error {
  const inner = unwrap(thrown);
  return inner instanceof Error ? inner : new Error(String(inner));
}

const CONVERT_HINT = 'Convert it to an uncompressed syntax first, e.g. `gdcmconv --raw in.dcm out.dcm` or `dcmdjpeg in.dcm out.dcm`.';

const VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

function hasVr(b: Uint8Array, at: number): boolean {
  return b.length >= at + 2 && VRS.has(String.fromCharCode(b[at] as number, b[at + 1] as number));
}

/** Group number of the first tag, read little endian. */
function firstGroup(b: Uint8Array): number {
  return b.length >= 8 ? (b[0] as number) | ((b[1] as number) << 8) : -1;
}

function sniffKind(b: Uint8Array): string {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return ' It looks like a PNG image; use decodeImage for it.';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return ' It looks like a JPEG image; use decodeImage for it.';
  return '';
}

class Context {
  readonly name: string;
  readonly file: string | undefined;
  readonly inflate: ((deflated: Uint8Array) => Uint8Array) | undefined;
  readonly maxPixels: number;
  constructor(options: ReadDicomOptions) {
    this.name = options.name ?? 'the DICOM bytes';
    this.file = options.name;
    this.inflate = options.inflate;
    this.maxPixels = resolveMaxPixels(options.maxPixels);
  }
  error(code: CtHemorrhageErrorCode, message: string, extra: Record<string, unknown> = {}, cause?: unknown): CtHemorrhageError {
    return new CtHemorrhageError(code, message, { file: this.file, ...extra }, cause === undefined ? undefined : { cause });
  }
  corrupt(thrown: unknown): CtHemorrhageError {
    return this.error(
      'DECODE_FAILED',
      `Could not read ${this.name}: the DICOM data is truncated or corrupt (${reasonOf(thrown)}). ` +
        'Copy or export the file again, or inspect it with dcmdump or gdcmdump.',
      {},
      causeOf(thrown),
    );
  }
}

/** Where the data set is and how it is encoded. */
interface Layout {
  /** Bytes to give dicom-parser. */
  readonly bytes: Uint8Array;
  /** The transfer syntax of the data set. */
  readonly ts: string;
  /** True for a data set without preamble and file meta header. */
  readonly raw: boolean;
}

function layoutOf(b: Uint8Array, ctx: Context): Layout {
  let part10: Uint8Array | undefined;
  if (isDicom(b)) part10 = b;
  else if (firstGroup(b) === 0x0002 && hasVr(b, 4)) {
    // A Part 10 file missing its 128-byte preamble and "DICM": put them back.
    part10 = new Uint8Array(132 + b.length);
    part10.set([0x44, 0x49, 0x43, 0x4d], 128);
    part10.set(b, 132);
  }
  if (part10 === undefined) {
    const group = firstGroup(b);
    if (group < 0x0008 || group > 0x0028 || group % 2 === 1) {
      throw ctx.error(
        'DECODE_FAILED',
        `Could not read ${ctx.name}: it is not a DICOM file (no "DICM" marker at byte 128, and it does not start ` +
          `like a DICOM data set).${sniffKind(b)} Give a DICOM (.dcm) file.`,
      );
    }
    // A raw data set: explicit VR when a VR follows the first tag, else implicit VR little endian.
    return { bytes: b, ts: hasVr(b, 4) ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN, raw: true };
  }
  let header: DataSet & { position?: number };
  let ts: string | undefined;
  try {
    header = dicomParser.readPart10Header(part10);
    // dicom-parser reads a meta header cut short without complaint; a value past the end throws here.
    ts = header.string('x00020010');
  } catch (thrown) {
    throw ctx.corrupt(thrown);
  }
  if ((header.position ?? 0) >= part10.length) {
    throw ctx.error(
      'DECODE_FAILED',
      `Could not read ${ctx.name}: it ends inside its file meta header (${b.length} bytes), so it is truncated. ` +
        'Copy or export the file again.',
    );
  }
  const start = header.position ?? 132;
  if ((ts === undefined || ts === '') && start === 132 && Object.keys(header.elements).length === 0) {
    // "DICM" but no file meta group at all: read what follows as a raw data set.
    const rest = part10.subarray(132);
    return { bytes: rest, ts: hasVr(rest, 4) ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN, raw: true };
  }
  if (ts === undefined || ts === '') {
    throw ctx.error(
      'DECODE_FAILED',
      `Could not read ${ctx.name}: its file meta header has no TransferSyntaxUID (0002,0010), so its encoding is unknown. ` +
        'Rewrite the file with a DICOM tool (e.g. `dcmconv` or `gdcmconv`).',
    );
  }
  if (!READABLE_TRANSFER_SYNTAXES.has(ts)) {
    throw ctx.error(
      'UNSUPPORTED_DICOM',
      `Cannot read ${ctx.name}: it uses the transfer syntax ${transferSyntaxName(ts)} (${ts}), which the reader ` +
        `does not decode (it reads only uncompressed pixel data). ${CONVERT_HINT}`,
      { transferSyntax: ts, transferSyntaxName: transferSyntaxName(ts) },
    );
  }
  if (ts !== DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) return { bytes: part10, ts, raw: false };
  if (!ctx.inflate) {
    throw ctx.error(
      'UNSUPPORTED_DICOM',
      `Cannot read ${ctx.name}: it uses the transfer syntax ${transferSyntaxName(ts)} (${ts}), and no inflater was given. ` +
        "Pass options.inflate (in Node: `(b) => zlib.inflateRawSync(b)`), or convert the file with `dcmconv +te in.dcm out.dcm` " +
        'or `gdcmconv --raw in.dcm out.dcm`.',
      { transferSyntax: ts, transferSyntaxName: transferSyntaxName(ts) },
    );
  }
  let inflated: Uint8Array;
  try {
    inflated = asBytes(ctx.inflate(part10.subarray(start)));
  } catch (thrown) {
    throw ctx.error(
      'DECODE_FAILED',
      `Could not read ${ctx.name}: its deflated data set does not inflate (${reasonOf(thrown)}). ` +
        'The file is probably truncated or corrupt.',
      { transferSyntax: ts },
      causeOf(thrown),
    );
  }
  // The inflated bytes are a raw explicit VR little endian data set.
  return { bytes: inflated, ts, raw: true };
}

function parse(layout: Layout, ctx: Context): DataSet {
  const options = layout.raw
    ? { TransferSyntaxUID: layout.ts === IMPLICIT_VR_LITTLE_ENDIAN ? IMPLICIT_VR_LITTLE_ENDIAN : EXPLICIT_VR_LITTLE_ENDIAN }
    : {};
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(layout.bytes, options);
  } catch (thrown) {
    // A file cut inside its pixel data: keep the partial data set, so the pixel check below can say so.
    const partial =
      thrown !== null && typeof thrown === 'object' && 'dataSet' in thrown ? (thrown as { dataSet: DataSet }).dataSet : undefined;
    if (partial?.elements.x7fe00010 !== undefined && /overrun/.test(reasonOf(thrown))) return partial;
    throw ctx.corrupt(thrown);
  }
  // In implicit VR dicom-parser does not notice an element running past the end of the bytes.
  for (const e of Object.values(ds.elements)) {
    if (e.tag !== 'x7fe00010' && !e.hadUndefinedLength && e.dataOffset + e.length > ds.byteArray.length) {
      const tag = `(${e.tag.slice(1, 5)},${e.tag.slice(5)})`.toUpperCase();
      throw ctx.error(
        'DECODE_FAILED',
        `Could not read ${ctx.name}: it ends inside the element ${tag}, so it is truncated. Copy or export the file again.`,
        { tag },
      );
    }
  }
  return ds;
}

/** All values of a decimal string (DS/IS) element; `undefined` for missing or unparsable ones. */
function numbers(ds: DataSet, tag: string): (number | undefined)[] {
  const count = ds.numStringValues(tag) ?? 0;
  const out: (number | undefined)[] = [];
  // floatString(tag, i) throws for i past the last value, so stay below numStringValues.
  for (let i = 0; i < count; i++) {
    const v = ds.floatString(tag, i);
    out.push(v !== undefined && Number.isFinite(v) ? v : undefined);
  }
  return out;
}

function number(ds: DataSet, tag: string): number | undefined {
  return numbers(ds, tag)[0];
}

function vector<N extends number>(ds: DataSet, tag: string, n: N): number[] | undefined {
  const v = numbers(ds, tag);
  if (v.length < n) return undefined;
  const head = v.slice(0, n);
  return head.every((x) => x !== undefined) ? (head as number[]) : undefined;
}

function text(ds: DataSet, tag: string): string | undefined {
  const s = ds.string(tag);
  return s === undefined || s === '' ? undefined : s;
}

function us(ds: DataSet, tag: string): number | undefined {
  const e = ds.elements[tag];
  return e !== undefined && e.length >= 2 ? ds.uint16(tag) : undefined;
}

/** A US/SS element read as signed when `signed`, else unsigned. */
function usOrSs(ds: DataSet, tag: string, signed: boolean): number | undefined {
  const v = us(ds, tag);
  if (v === undefined) return undefined;
  return signed && v >= 0x8000 ? v - 0x10000 : v;
}

function windowsOf(ds: DataSet): CtWindow[] {
  const centers = numbers(ds, 'x00281050');
  const widths = numbers(ds, 'x00281051');
  const out: CtWindow[] = [];
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    const level = centers[i];
    const width = widths[i];
    if (level !== undefined && width !== undefined && width > 0) out.push({ level, width });
  }
  return out;
}

/**
 * Reads one uncompressed CT slice from DICOM bytes into Hounsfield units:
 * `hu = stored * RescaleSlope + RescaleIntercept` (slope 1 and intercept 0 when absent), with the
 * stored value masked to BitsStored bits and sign-extended when PixelRepresentation is 1.
 * Pixels whose stored value equals PixelPaddingValue (or lies in the range it spans with
 * PixelPaddingRangeLimit) become air, -1000 HU, whatever the rescale. `window` is the file's first
 * WindowCenter/WindowWidth pair, `meta.windows` all of them.
 *
 * Reads Explicit and Implicit VR Little Endian, Explicit VR Big Endian, and Deflated Explicit VR
 * Little Endian when `options.inflate` is given; Part 10 files, files missing the 128-byte
 * preamble, and data sets without a file meta header (read as explicit VR when a VR follows the
 * first tag, else implicit VR little endian). BitsAllocated 8 or 16. MONOCHROME1
 * slices are accepted and their HU are not inverted: the rescale defines HU whatever the
 * photometric interpretation, which only says how grey levels are displayed.
 *
 * Throws `UNSUPPORTED_DICOM` for compressed transfer syntaxes (naming the syntax), multi-frame,
 * colour, or other unsupported pixel layouts, and `DECODE_FAILED` for empty, truncated, corrupt
 * or non-DICOM bytes and files without pixel data, and `BAD_INPUT` for a slice larger than
 * `options.maxPixels`; all name the file (`options.name`).
 *
 * @example
 * ```ts
 * const slice = readDicom(await readFile('ID_000000e27.dcm'), { name: 'ID_000000e27.dcm' });
 * slice.width;                  // 512
 * slice.meta.rescaleIntercept;  // -1024
 * slice.window;                 // { level: 40, width: 80 }
 * slice.meta.windows;           // [{ level: 40, width: 80 }, { level: 40, width: 80 }]
 * slice.hu[0];                  // -1003 (stored 21 * 1 + -1024)
 * ```
 */
export function readDicom(bytes: Uint8Array | ArrayBuffer, options: ReadDicomOptions = {}): DicomSlice {
  const ctx = new Context(options);
  const layout = layoutOf(nonEmpty(bytes, ctx), ctx);
  const ds = parse(layout, ctx);
  try {
    return toSlice(ds, layout, ctx);
  } catch (thrown) {
    if (thrown instanceof CtHemorrhageError) throw thrown;
    throw ctx.corrupt(thrown);
  }
}

function nonEmpty(bytes: Uint8Array | ArrayBuffer, ctx: Context): Uint8Array {
  const b = asBytes(bytes);
  if (b.length === 0) {
    throw ctx.error('DECODE_FAILED', `Could not read ${ctx.name}: it is empty (0 bytes). Give the bytes of a DICOM (.dcm) file.`);
  }
  return b;
}

/** The identifiers that group slices. */
export type DicomIds = Pick<DicomMeta, 'patientId' | 'studyInstanceUid' | 'seriesInstanceUid' | 'sopInstanceUid'>;

function idsOf(ds: DataSet): DicomIds {
  return {
    patientId: text(ds, 'x00100020'),
    studyInstanceUid: text(ds, 'x0020000d'),
    seriesInstanceUid: text(ds, 'x0020000e'),
    sopInstanceUid: text(ds, 'x00080018'),
  };
}

/**
 * Reads only the identifiers of a DICOM file (PatientID, Study/Series/SOP Instance UIDs),
 * without decoding its pixels: what dataset listing needs to match labels and group slices.
 * Throws as {@link readDicom} for bytes that are not DICOM.
 *
 * @example
 * ```ts
 * readDicomIds(bytes).patientId; // 'ANON123'
 * ```
 */
export function readDicomIds(bytes: Uint8Array | ArrayBuffer, options: ReadDicomOptions = {}): DicomIds {
  const ctx = new Context(options);
  return idsOf(parse(layoutOf(nonEmpty(bytes, ctx), ctx), ctx));
}

function toSlice(ds: DataSet, layout: Layout, ctx: Context): DicomSlice {
  const { name } = ctx;
  const ts = layout.ts;
  const pixels: Element | undefined = ds.elements.x7fe00010;
  if (pixels === undefined) {
    throw ctx.error(
      'DECODE_FAILED',
      layout.raw && ds.elements.x00280010 === undefined
        ? `Could not read ${name}: it is not a DICOM image (no "DICM" marker at byte 128, and no pixel data when read as a ` +
            `raw data set).${sniffKind(ds.byteArray)} Give a DICOM (.dcm) CT image.`
        : `Could not read ${name}: it has no PixelData (7FE0,0010), so it holds no image (it may be a DICOMDIR, a report or ` +
            'a presentation state, or a file cut short). Give a complete DICOM CT image file.',
    );
  }
  const frames = number(ds, 'x00280008');
  if (frames !== undefined && frames > 1) {
    throw ctx.error(
      'UNSUPPORTED_DICOM',
      `Cannot read ${name}: it is a multi-frame image (NumberOfFrames ${frames}); the reader takes one slice per file. ` +
        'Split it into single-frame files first, e.g. with `dcm2niix` or pydicom.',
      { numberOfFrames: frames },
    );
  }
  const samples = us(ds, 'x00280002') ?? 1;
  const photometric = text(ds, 'x00280004') ?? 'MONOCHROME2';
  if (samples !== 1 || (photometric !== 'MONOCHROME2' && photometric !== 'MONOCHROME1')) {
    throw ctx.error(
      'UNSUPPORTED_DICOM',
      `Cannot read ${name}: it is a ${photometric} image with ${samples} sample(s) per pixel; the reader takes only ` +
        'greyscale (MONOCHROME1 or MONOCHROME2) CT slices. Use the original CT series, not a colour rendering or screenshot.',
      { photometricInterpretation: photometric, samplesPerPixel: samples },
    );
  }
  const rows = us(ds, 'x00280010');
  const columns = us(ds, 'x00280011');
  const bitsAllocated = us(ds, 'x00280100');
  if (!rows || !columns || bitsAllocated === undefined) {
    throw ctx.error(
      'DECODE_FAILED',
      `Could not read ${name}: it lacks Rows, Columns or BitsAllocated (got ${String(rows)}, ${String(columns)}, ` +
        `${String(bitsAllocated)}), so its pixel data cannot be laid out. The file is corrupt or not an image.`,
      { rows, columns, bitsAllocated },
    );
  }
  checkImageSize({ width: columns, height: rows }, ctx.maxPixels, name, ctx.file, 'DICOM');
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw ctx.error(
      'UNSUPPORTED_DICOM',
      `Cannot read ${name}: it has BitsAllocated ${bitsAllocated}; the reader takes 8 or 16. ` +
        'Convert it to 16-bit integer pixels first (e.g. with `gdcmconv` or pydicom).',
      { bitsAllocated },
    );
  }
  const bitsStored = us(ds, 'x00280101') ?? bitsAllocated;
  const highBit = us(ds, 'x00280102') ?? bitsStored - 1;
  const pr = us(ds, 'x00280103') ?? 0;
  if (bitsStored < 1 || bitsStored > bitsAllocated || (pr !== 0 && pr !== 1)) {
    throw ctx.error(
      'DECODE_FAILED',
      `Could not read ${name}: BitsStored ${bitsStored} / BitsAllocated ${bitsAllocated} / PixelRepresentation ${pr} ` +
        'are inconsistent (BitsStored must be 1..BitsAllocated, PixelRepresentation 0 or 1). The file is corrupt.',
      { bitsStored, bitsAllocated, pixelRepresentation: pr },
    );
  }
  if (highBit !== bitsStored - 1) {
    throw ctx.error(
      'UNSUPPORTED_DICOM',
      `Cannot read ${name}: its HighBit is ${highBit} with BitsStored ${bitsStored}; the reader takes only ` +
        `HighBit = BitsStored - 1 (${bitsStored - 1}), i.e. values in the low bits. Re-export it with a DICOM tool.`,
      { bitsStored, highBit },
    );
  }
  if (pixels.hadUndefinedLength || pixels.encapsulatedPixelData) {
    throw ctx.error(
      'UNSUPPORTED_DICOM',
      `Cannot read ${name}: its pixel data is encapsulated (fragments), which the reader does not decode. ${CONVERT_HINT}`,
      { transferSyntax: ts },
    );
  }
  const bytesPerPixel = bitsAllocated / 8;
  const needed = rows * columns * bytesPerPixel;
  const available = Math.max(0, Math.min(pixels.length, ds.byteArray.length - pixels.dataOffset));
  if (available < needed) {
    throw ctx.error(
      'DECODE_FAILED',
      `Could not read ${name}: its pixel data holds ${available} bytes, but ${rows} x ${columns} pixels of ` +
        `${bitsAllocated} bits need ${needed}. The file is probably truncated; copy or export it again.`,
      { rows, columns, bitsAllocated, expected: needed, received: available },
    );
  }

  const signed = pr === 1;
  const rescaleSlope = number(ds, 'x00281053') ?? 1;
  const rescaleIntercept = number(ds, 'x00281052') ?? 0;
  const paddingSigned = signed || ds.elements.x00280120?.vr === 'SS';
  const pixelPaddingValue = usOrSs(ds, 'x00280120', paddingSigned);
  const pixelPaddingRangeLimit = pixelPaddingValue === undefined ? undefined : usOrSs(ds, 'x00280121', paddingSigned);

  const hu = decodePixels(ds, pixels, {
    count: rows * columns,
    bitsAllocated,
    bitsStored,
    signed,
    littleEndian: ts !== EXPLICIT_VR_BIG_ENDIAN,
    slope: rescaleSlope,
    intercept: rescaleIntercept,
    padding: pixelPaddingValue,
    paddingLimit: pixelPaddingRangeLimit,
  });

  const windows = windowsOf(ds);
  const position = vector(ds, 'x00200032', 3);
  const orientation = vector(ds, 'x00200037', 6);
  const spacing = vector(ds, 'x00280030', 2);
  const instanceNumber = number(ds, 'x00200013');
  const meta: DicomMeta = {
    ...idsOf(ds),
    modality: text(ds, 'x00080060'),
    instanceNumber,
    imagePositionPatient: position as [number, number, number] | undefined,
    imageOrientationPatient: orientation as [number, number, number, number, number, number] | undefined,
    pixelSpacing: spacing as [number, number] | undefined,
    sliceThickness: number(ds, 'x00180050'),
    gantryTilt: number(ds, 'x00181120'),
    rows,
    columns,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation: signed ? 1 : 0,
    rescaleSlope,
    rescaleIntercept,
    pixelPaddingValue,
    pixelPaddingRangeLimit,
    windows,
    transferSyntaxUid: ts,
    photometricInterpretation: photometric,
  };
  const first = windows[0];
  return first === undefined ? { hu, width: columns, height: rows, meta } : { hu, width: columns, height: rows, window: first, meta };
}

interface PixelLayout {
  count: number;
  bitsAllocated: number;
  bitsStored: number;
  signed: boolean;
  littleEndian: boolean;
  slope: number;
  intercept: number;
  padding: number | undefined;
  paddingLimit: number | undefined;
}

function decodePixels(ds: DataSet, pixels: Element, p: PixelLayout): Float32Array {
  const bytes = ds.byteArray;
  const view = new DataView(bytes.buffer, bytes.byteOffset + pixels.dataOffset, p.count * (p.bitsAllocated / 8));
  const mask = 2 ** p.bitsStored - 1;
  const signBit = 2 ** (p.bitsStored - 1);
  const range = 2 ** p.bitsStored;
  const wordSign = 2 ** (p.bitsAllocated - 1);
  const wordRange = 2 ** p.bitsAllocated;
  const hasPadding = p.padding !== undefined;
  const lo = hasPadding ? Math.min(p.padding as number, p.paddingLimit ?? (p.padding as number)) : 0;
  const hi = hasPadding ? Math.max(p.padding as number, p.paddingLimit ?? (p.padding as number)) : -1;
  // A padding value outside the BitsStored range can only match the whole stored word.
  const storedMin = p.signed ? -signBit : 0;
  const storedMax = p.signed ? signBit - 1 : range - 1;
  const wholeWord = hasPadding && (lo < storedMin || hi > storedMax);
  const out = new Float32Array(p.count);
  const sixteen = p.bitsAllocated === 16;
  for (let i = 0; i < p.count; i++) {
    const word = sixteen ? view.getUint16(i * 2, p.littleEndian) : view.getUint8(i);
    let v = word & mask;
    if (p.signed && v >= signBit) v -= range;
    if (hasPadding) {
      let pad = v >= lo && v <= hi;
      if (!pad && wholeWord) {
        const w = p.signed && word >= wordSign ? word - wordRange : word;
        pad = w >= lo && w <= hi;
      }
      if (pad) {
        out[i] = AIR_HU;
        continue;
      }
    }
    out[i] = v * p.slope + p.intercept;
  }
  return out;
}
