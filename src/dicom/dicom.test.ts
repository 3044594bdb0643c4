import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { thrownError } from '../../test/helpers.js';
import { CtHemorrhageError, type CtHemorrhageErrorCode } from '../errors/index.js';
import { dicomUid, isDicom, readDicom, writeDicom } from './index.js';

// ---------------------------------------------------------------------------------------------
// Helpers: generated slices and byte surgery on written files (all explicit VR LE unless said).
// ---------------------------------------------------------------------------------------------

const W = 16;
const H = 12;

/** Integer HU from -1024 to 3071 in a scrambled order, W x H. */
function ramp(lo = -1024, hi = 3071): Int16Array {
  const n = W * H;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + ((i * 1237) % (hi - lo + 1));
  out[0] = lo;
  out[n - 1] = hi;
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function ascii(s: string, pad: number): Uint8Array {
  const b = new Uint8Array(s.length + (s.length % 2));
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  if (s.length % 2) b[s.length] = pad;
  return b;
}

/** Byte offset where the data set starts (after the file meta group). */
function dataSetStart(bytes: Uint8Array): number {
  return 144 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(140, true);
}

/** Rewrites the file meta TransferSyntaxUID (any length) and fixes the group length. */
function patchTransferSyntax(bytes: Uint8Array, uid: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const end = dataSetStart(bytes);
  const parts: Uint8Array[] = [];
  let o = 144;
  while (o < end) {
    const tag = view.getUint32(o, true);
    const vr = String.fromCharCode(bytes[o + 4] as number, bytes[o + 5] as number);
    const long = vr === 'OB';
    const len = long ? view.getUint32(o + 8, true) : view.getUint16(o + 6, true);
    const head = long ? 12 : 8;
    if (tag === 0x00100002) {
      const value = ascii(uid, 0);
      const h = bytes.slice(o, o + 8);
      new DataView(h.buffer).setUint16(6, value.length, true);
      parts.push(h, value);
    } else parts.push(bytes.slice(o, o + head + len));
    o += head + len;
  }
  const body = concat(...parts);
  const head = bytes.slice(0, 144);
  new DataView(head.buffer).setUint32(140, body.length, true);
  return concat(head, body, bytes.slice(end));
}

function elementOf(bytes: Uint8Array, tag: string) {
  const ds = dicomParser.parseDicom(bytes);
  const e = ds.elements[tag];
  if (!e) throw new Error(`no ${tag}`);
  return e;
}

/** Replaces the value of a data-set element (explicit VR LE), changing its length if needed. */
function replaceValue(bytes: Uint8Array, tag: string, value: Uint8Array): Uint8Array {
  const e = elementOf(bytes, tag);
  const long = e.vr === 'OW' || e.vr === 'OB';
  const headStart = e.dataOffset - (long ? 12 : 8);
  const head = bytes.slice(headStart, e.dataOffset);
  if (long) new DataView(head.buffer).setUint32(8, value.length, true);
  else new DataView(head.buffer).setUint16(6, value.length, true);
  return concat(bytes.slice(0, headStart), head, value, bytes.slice(e.dataOffset + e.length));
}

function replaceString(bytes: Uint8Array, tag: string, s: string): Uint8Array {
  return replaceValue(bytes, tag, ascii(s, 0x20));
}

function us(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, n >> 8);
}

/** Inserts a whole explicit VR LE short element (tag, VR, string value) right after element `after`. */
function insertAfter(bytes: Uint8Array, after: string, tag: number, vr: string, value: Uint8Array): Uint8Array {
  const e = elementOf(bytes, after);
  const at = e.dataOffset + e.length;
  const head = new Uint8Array(8);
  const v = new DataView(head.buffer);
  v.setUint16(0, tag >>> 16, true);
  v.setUint16(2, tag & 0xffff, true);
  head[4] = vr.charCodeAt(0);
  head[5] = vr.charCodeAt(1);
  v.setUint16(6, value.length, true);
  return concat(bytes.slice(0, at), head, value, bytes.slice(at));
}

/** Converts an explicit VR little endian file written by writeDicom to explicit VR big endian. */
function toBigEndian(bytes: Uint8Array): Uint8Array {
  const out = patchTransferSyntax(bytes, '1.2.840.10008.1.2.2');
  const view = new DataView(out.buffer);
  let o = dataSetStart(out);
  while (o < out.length) {
    const group = view.getUint16(o, true);
    const elem = view.getUint16(o + 2, true);
    view.setUint16(o, group, false);
    view.setUint16(o + 2, elem, false);
    const vr = String.fromCharCode(out[o + 4] as number, out[o + 5] as number);
    const long = vr === 'OW' || vr === 'OB';
    const len = long ? view.getUint32(o + 8, true) : view.getUint16(o + 6, true);
    if (long) view.setUint32(o + 8, len, false);
    else view.setUint16(o + 6, len, false);
    const start = o + (long ? 12 : 8);
    if (vr === 'US' || vr === 'SS' || vr === 'OW') {
      for (let i = start; i < start + len; i += 2) view.setUint16(i, view.getUint16(i, true), false);
    }
    o = start + len;
  }
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes.slice()]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}


/** Expects a CtHemorrhageError of `code` whose message and details.file name `file`, and whose message matches `patterns`. */
function expectFailure(fn: () => unknown, code: CtHemorrhageErrorCode, file: string, ...patterns: RegExp[]): CtHemorrhageError {
  const error = thrownError(fn);
  expect(error.code).toBe(code);
  expect(error.message).toContain(file);
  expect(error.details.file).toBe(file);
  for (const p of patterns) expect(error.message).toMatch(p);
  return error;
}

// ---------------------------------------------------------------------------------------------

describe('writeDicom + readDicom round trips (generated slices)', () => {
  it.each(['explicit', 'implicit'] as const)('gives back integer HU exactly and all tags, %s VR, signed 16-bit', (transferSyntax) => {
    const hu = ramp(-3000, 3000);
    const bytes = writeDicom(
      { hu, width: W, height: H },
      {
        transferSyntax,
        windows: [
          { level: 40, width: 80 },
          { level: 600, width: 2800 },
        ],
        patientId: 'PHANTOM-7',
        instanceNumber: 5,
        pixelSpacing: [0.48828125, 0.5],
        sliceThickness: 2.5,
        imagePositionPatient: [-125, -123.5404569, 5.8360586],
      },
    );
    expect(isDicom(bytes)).toBe(true);
    const slice = readDicom(bytes, { name: 'rt.dcm' });
    expect(slice.width).toBe(W);
    expect(slice.height).toBe(H);
    expect(slice.hu).toBeInstanceOf(Float32Array);
    expect(Array.from(slice.hu)).toEqual(Array.from(hu));
    expect(slice.window).toEqual({ level: 40, width: 80 });
    const m = slice.meta;
    expect(m).toMatchObject({
      rows: H,
      columns: W,
      bitsAllocated: 16,
      bitsStored: 16,
      highBit: 15,
      pixelRepresentation: 1,
      rescaleSlope: 1,
      rescaleIntercept: 0,
      modality: 'CT',
      patientId: 'PHANTOM-7',
      instanceNumber: 5,
      pixelSpacing: [0.48828125, 0.5],
      sliceThickness: 2.5,
      imagePositionPatient: [-125, -123.5404569, 5.8360586],
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      photometricInterpretation: 'MONOCHROME2',
      transferSyntaxUid: transferSyntax === 'explicit' ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2',
      windows: [
        { level: 40, width: 80 },
        { level: 600, width: 2800 },
      ],
    });
    expect(m.pixelPaddingValue).toBeUndefined();
    expect(m.gantryTilt).toBeUndefined();
    expect(m.studyInstanceUid).toBe(dicomUid('study', 'PHANTOM-7'));
    expect(m.seriesInstanceUid).toBe(dicomUid('series', m.studyInstanceUid as string));
    expect(m.sopInstanceUid).toBe(dicomUid('sop', m.seriesInstanceUid as string, 5));
  });

  it('reads an ArrayBuffer as well as a Uint8Array view into a larger buffer', () => {
    const hu = ramp();
    const bytes = writeDicom({ hu, width: W, height: H });
    expect(Array.from(readDicom(bytes.slice().buffer).hu)).toEqual(Array.from(hu));
    const big = new Uint8Array(bytes.length + 10);
    big.set(bytes, 7);
    expect(Array.from(readDicom(big.subarray(7, 7 + bytes.length)).hu)).toEqual(Array.from(hu));
  });

  it.each(['explicit', 'implicit'] as const)('unsigned 16-bit with the default intercept -1024, %s VR', (transferSyntax) => {
    const hu = ramp(-1024, 30000);
    const slice = readDicom(writeDicom({ hu, width: W, height: H }, { transferSyntax, pixelRepresentation: 0 }));
    expect(Array.from(slice.hu)).toEqual(Array.from(hu));
    expect(slice.meta).toMatchObject({ pixelRepresentation: 0, rescaleIntercept: -1024, bitsStored: 16 });
  });

  it('rounds to the nearest stored integer and clamps to the stored range (unsigned 12-bit: -1024..3071 HU)', () => {
    const hu = new Float32Array(W * H).fill(0);
    hu.set([-5000, -1024.4, 3071.4, 9999, 10.5, 10.49, -10.5]);
    const slice = readDicom(writeDicom({ hu, width: W, height: H }, { pixelRepresentation: 0, bitsStored: 12 }));
    expect(Array.from(slice.hu.slice(0, 7))).toEqual([-1024, -1024, 3071, 3071, 11, 10, -10]);
  });

  it('clamps signed 12-bit to -2048..2047 and honours slope and intercept', () => {
    const hu = new Float32Array(W * H).fill(0);
    hu.set([-9000, 9000, 100]);
    const s12 = readDicom(writeDicom({ hu, width: W, height: H }, { bitsStored: 12 }));
    expect(Array.from(s12.hu.slice(0, 3))).toEqual([-2048, 2047, 100]);
    const scaled = readDicom(writeDicom({ hu, width: W, height: H }, { rescaleSlope: 2, rescaleIntercept: -1 }));
    expect(scaled.meta).toMatchObject({ rescaleSlope: 2, rescaleIntercept: -1 });
    // stored = round((hu + 1) / 2), halves up: -4499.5 -> -4499, 4500.5 -> 4501, 50.5 -> 51; HU = stored * 2 - 1
    expect(Array.from(scaled.hu.slice(0, 3))).toEqual([-8999, 9001, 101]);
  });

  it.each([
    [0, 12, -1024, 3071],
    [1, 12, -2048, 2047],
  ] as const)('masks garbage above BitsStored (PixelRepresentation %i, BitsStored %i)', (pr, bitsStored, lo, hi) => {
    const hu = ramp(lo, hi);
    const bytes = writeDicom({ hu, width: W, height: H }, { pixelRepresentation: pr, bitsStored });
    const pd = elementOf(bytes, 'x7fe00010');
    const view = new DataView(bytes.buffer, bytes.byteOffset + pd.dataOffset, pd.length);
    for (let i = 0; i < W * H; i++) {
      const garbage = [0x5000, 0xa000, 0xf000, 0x0000][i % 4] as number;
      view.setUint16(i * 2, (view.getUint16(i * 2, true) & 0x0fff) | garbage, true);
    }
    expect(view.getUint16(2, true) & 0xf000).toBe(0xa000); // really corrupted
    const slice = readDicom(bytes);
    expect(slice.meta).toMatchObject({ bitsStored: 12, highBit: 11 });
    expect(Array.from(slice.hu)).toEqual(Array.from(hu));
  });

  it('reads pixels stored with PixelPaddingValue as -1000 HU (air), not rescaled', () => {
    const hu = ramp(-500, 500);
    const padding = new Uint8Array(W * H);
    padding.set([1, 1, 0, 1], 0);
    const bytes = writeDicom({ hu, width: W, height: H }, { pixelPaddingValue: -2000, padding, rescaleIntercept: -24 });
    const slice = readDicom(bytes);
    expect(slice.meta.pixelPaddingValue).toBe(-2000);
    expect(Array.from(slice.hu.slice(0, 4))).toEqual([-1000, -1000, hu[2], -1000]);
    expect(Array.from(slice.hu.slice(4))).toEqual(Array.from(hu.slice(4)));
    // without the padding tag, the same stored value is ordinary HU: -2000 * 1 - 24
    const plain = readDicom(writeDicom({ hu: Float32Array.of(-2024), width: 1, height: 1 }, { rescaleIntercept: -24 }));
    expect(plain.hu[0]).toBe(-2024);
  });

  it('matches a padding value outside the BitsStored range on the whole stored word (unsigned 12-bit, 0xFFFF)', () => {
    const hu = ramp(-1024, 3071);
    const padding = new Uint8Array(W * H);
    padding[5] = 1;
    const slice = readDicom(writeDicom({ hu, width: W, height: H }, { pixelRepresentation: 0, bitsStored: 12, pixelPaddingValue: 0xffff, padding }));
    expect(slice.meta.pixelPaddingValue).toBe(0xffff);
    expect(slice.hu[5]).toBe(-1000);
    expect(slice.hu[4]).toBe(hu[4]);
  });

  it('treats PixelPaddingRangeLimit as a range of padding values', () => {
    const hu = Float32Array.of(-2000, -1900, -1800, -1799, 0, 50);
    const bytes = writeDicom({ hu, width: 6, height: 1 }, { pixelPaddingValue: -2000 });
    const withLimit = insertAfter(bytes, 'x00280120', 0x00280121, 'SS', us(-1800 & 0xffff));
    const slice = readDicom(withLimit);
    expect(slice.meta.pixelPaddingRangeLimit).toBe(-1800);
    expect(Array.from(slice.hu)).toEqual([-1000, -1000, -1000, -1799, 0, 50]);
  });

  it('parses multi-valued, zero-padded WindowCenter/WindowWidth strings', () => {
    let bytes = writeDicom({ hu: ramp(), width: W, height: H }, { windows: [{ level: 1, width: 1 }] });
    bytes = replaceString(bytes, 'x00281050', '00040\\00040');
    bytes = replaceString(bytes, 'x00281051', '00080\\00080 ');
    const slice = readDicom(bytes);
    expect(slice.meta.windows).toEqual([
      { level: 40, width: 80 },
      { level: 40, width: 80 },
    ]);
    expect(slice.window).toEqual({ level: 40, width: 80 });
  });

  it('skips window pairs that are empty or have a width <= 0, and has no window when there is none', () => {
    let bytes = writeDicom({ hu: ramp(), width: W, height: H }, { windows: [{ level: 1, width: 1 }] });
    bytes = replaceString(bytes, 'x00281050', '-600\\40\\\\35');
    bytes = replaceString(bytes, 'x00281051', '0\\+80.0\\100');
    expect(readDicom(bytes).meta.windows).toEqual([{ level: 40, width: 80 }]);
    const none = readDicom(writeDicom({ hu: ramp(), width: W, height: H }));
    expect(none.meta.windows).toEqual([]);
    expect(none.window).toBeUndefined();
    expect('window' in none).toBe(false);
  });

  it("uses the slice's own window when options.windows is left out", () => {
    const slice = readDicom(writeDicom({ hu: ramp(), width: W, height: H, window: { level: 35, width: 100 } }));
    expect(slice.meta.windows).toEqual([{ level: 35, width: 100 }]);
  });

  it('reads a Part 10 file whose 128-byte preamble and "DICM" are missing', () => {
    const hu = ramp();
    const bytes = writeDicom({ hu, width: W, height: H });
    const stripped = bytes.slice(132);
    expect(isDicom(stripped)).toBe(false);
    const slice = readDicom(stripped, { name: 'nopreamble.dcm' });
    expect(Array.from(slice.hu)).toEqual(Array.from(hu));
    expect(slice.meta.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
  });

  it.each([
    ['implicit', '1.2.840.10008.1.2'],
    ['explicit', '1.2.840.10008.1.2.1'],
  ] as const)('reads a raw %s VR data set without preamble or file meta header', (transferSyntax, uid) => {
    const hu = ramp();
    const bytes = writeDicom({ hu, width: W, height: H }, { transferSyntax, windows: [{ level: 40, width: 80 }] });
    const raw = bytes.slice(dataSetStart(bytes));
    const slice = readDicom(raw, { name: 'raw.dcm' });
    expect(Array.from(slice.hu)).toEqual(Array.from(hu));
    expect(slice.meta.transferSyntaxUid).toBe(uid);
    expect(slice.window).toEqual({ level: 40, width: 80 });
  });

  it.each(['explicit', 'implicit'] as const)('reads a file with preamble and "DICM" but no file meta group (%s VR data set)', (transferSyntax) => {
    const hu = ramp();
    const bytes = writeDicom({ hu, width: W, height: H }, { transferSyntax });
    const noMeta = concat(bytes.slice(0, 132), bytes.slice(dataSetStart(bytes)));
    expect(isDicom(noMeta)).toBe(true);
    const slice = readDicom(noMeta, { name: 'nometa.dcm' });
    expect(Array.from(slice.hu)).toEqual(Array.from(hu));
    expect(slice.meta.transferSyntaxUid).toBe(transferSyntax === 'explicit' ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2');
  });

  it('reads Explicit VR Big Endian', () => {
    const hu = ramp(-2048, 2047);
    const padding = new Uint8Array(W * H);
    padding[3] = 1;
    const be = toBigEndian(writeDicom({ hu, width: W, height: H }, { bitsStored: 12, pixelPaddingValue: -2000, padding }));
    const slice = readDicom(be, { name: 'be.dcm' });
    expect(slice.meta).toMatchObject({ transferSyntaxUid: '1.2.840.10008.1.2.2', rows: H, columns: W, bitsStored: 12, pixelPaddingValue: -2000 });
    const expected = Array.from(hu);
    expected[3] = -1000;
    expect(Array.from(slice.hu)).toEqual(expected);
  });

  it('reads Deflated Explicit VR Little Endian through options.inflate, and refuses it without', async () => {
    const hu = ramp();
    const plain = writeDicom({ hu, width: W, height: H }, { windows: [{ level: 40, width: 80 }] });
    const patched = patchTransferSyntax(plain, '1.2.840.10008.1.2.1.99');
    const start = dataSetStart(patched);
    const deflated = await pipe(patched.slice(start), new CompressionStream('deflate-raw'));
    const file = concat(patched.slice(0, start), deflated);
    const inflated = await pipe(deflated, new DecompressionStream('deflate-raw'));
    let seen: Uint8Array | undefined;
    const slice = readDicom(file, {
      name: 'deflated.dcm',
      inflate: (d) => {
        seen = d.slice();
        return inflated;
      },
    });
    expect(seen).toEqual(deflated);
    expect(Array.from(slice.hu)).toEqual(Array.from(hu));
    expect(slice.meta.transferSyntaxUid).toBe('1.2.840.10008.1.2.1.99');
    expect(slice.window).toEqual({ level: 40, width: 80 });

    expectFailure(
      () => readDicom(file, { name: 'deflated.dcm' }),
      'UNSUPPORTED_DICOM',
      'deflated.dcm',
      /Deflated Explicit VR Little Endian \(1\.2\.840\.10008\.1\.2\.1\.99\)/,
      /inflate/,
    );
    expectFailure(
      () => readDicom(file, { name: 'deflated.dcm', inflate: () => { throw new Error('invalid block type'); } }),
      'DECODE_FAILED',
      'deflated.dcm',
      /invalid block type/,
    );
  });

  it('reads 8-bit pixels, unsigned and signed', () => {
    let bytes = writeDicom({ hu: new Float32Array(4), width: 2, height: 2 }, { pixelRepresentation: 0, rescaleIntercept: -1024 });
    bytes = replaceValue(bytes, 'x00280100', us(8));
    bytes = replaceValue(bytes, 'x00280101', us(8));
    bytes = replaceValue(bytes, 'x00280102', us(7));
    bytes = replaceValue(bytes, 'x7fe00010', Uint8Array.of(0, 1, 2, 255));
    expect(Array.from(readDicom(bytes).hu)).toEqual([-1024, -1023, -1022, -769]);
    bytes = replaceValue(bytes, 'x00280103', us(1));
    expect(Array.from(readDicom(bytes).hu)).toEqual([-1024, -1023, -1022, -1025]);
  });

  it('accepts MONOCHROME1 and keeps its HU as they are (no inversion)', () => {
    const hu = ramp();
    const bytes = replaceString(writeDicom({ hu, width: W, height: H }), 'x00280004', 'MONOCHROME1');
    const slice = readDicom(bytes);
    expect(slice.meta.photometricInterpretation).toBe('MONOCHROME1');
    expect(Array.from(slice.hu)).toEqual(Array.from(hu));
  });
});

describe('writeDicom output', () => {
  it('is a well-formed Part 10 file: meta group length, even value lengths, NUL-padded UIDs, space-padded strings', () => {
    for (const transferSyntax of ['explicit', 'implicit'] as const) {
      const bytes = writeDicom({ hu: ramp(), width: W, height: H }, { transferSyntax, patientId: 'ODD', windows: [{ level: 40, width: 80 }] });
      expect(bytes.slice(0, 128).every((b) => b === 0)).toBe(true);
      const header = dicomParser.readPart10Header(bytes) as ReturnType<typeof dicomParser.readPart10Header> & { position: number };
      expect(header.position).toBe(dataSetStart(bytes));
      expect(header.string('x00020002')).toBe('1.2.840.10008.5.1.4.1.1.2');
      const ds = dicomParser.parseDicom(bytes);
      expect(ds.string('x00080016')).toBe('1.2.840.10008.5.1.4.1.1.2');
      for (const e of Object.values(ds.elements)) expect(e.length % 2).toBe(0);
      const pid = ds.elements.x00100020 as dicomParser.Element;
      expect(Array.from(bytes.slice(pid.dataOffset, pid.dataOffset + pid.length))).toEqual([0x4f, 0x44, 0x44, 0x20]); // "ODD "
      const tsEl = header.elements.x00020010 as dicomParser.Element;
      // '1.2.840.10008.1.2.1' (19 characters) or '1.2.840.10008.1.2' (17), each padded with one NUL
      expect(tsEl.length).toBe(transferSyntax === 'explicit' ? 20 : 18);
      expect(bytes[tsEl.dataOffset + tsEl.length - 1]).toBe(0);
    }
  });

  it('is deterministic, and derives distinct SOP UIDs per instance number within one series', () => {
    const hu = ramp();
    const a = writeDicom({ hu, width: W, height: H }, { instanceNumber: 1, sliceThickness: 5 });
    expect(writeDicom({ hu, width: W, height: H }, { instanceNumber: 1, sliceThickness: 5 })).toEqual(a);
    const b = writeDicom({ hu, width: W, height: H }, { instanceNumber: 2, sliceThickness: 5 });
    const ma = readDicom(a).meta;
    const mb = readDicom(b).meta;
    expect(mb.seriesInstanceUid).toBe(ma.seriesInstanceUid);
    expect(mb.studyInstanceUid).toBe(ma.studyInstanceUid);
    expect(mb.sopInstanceUid).not.toBe(ma.sopInstanceUid);
    expect(ma.imagePositionPatient).toEqual([0, 0, 0]);
    expect(mb.imagePositionPatient).toEqual([0, 0, 5]);
    for (const uid of [ma.studyInstanceUid, ma.seriesInstanceUid, ma.sopInstanceUid, mb.sopInstanceUid]) {
      expect(uid).toMatch(/^2\.25\.[1-9][0-9]*$/);
      expect((uid as string).length).toBeLessThanOrEqual(64);
    }
  });

  it('writes given UIDs and shortens long decimals to 16 characters', () => {
    const bytes = writeDicom(
      { hu: ramp(), width: W, height: H },
      {
        studyInstanceUid: '1.2.3',
        seriesInstanceUid: '1.2.3.4',
        sopInstanceUid: '1.2.3.4.5',
        pixelSpacing: [0.48828125123456789, 1 / 3],
      },
    );
    const m = readDicom(bytes).meta;
    expect([m.studyInstanceUid, m.seriesInstanceUid, m.sopInstanceUid]).toEqual(['1.2.3', '1.2.3.4', '1.2.3.4.5']);
    expect(m.pixelSpacing?.[0]).toBeCloseTo(0.48828125123456789, 12);
    expect(m.pixelSpacing?.[1]).toBeCloseTo(1 / 3, 12);
    const ps = elementOf(bytes, 'x00280030');
    expect(ps.length).toBeLessThanOrEqual(34);
  });

  it.each([
    ['hu length', () => writeDicom({ hu: new Float32Array(3), width: 2, height: 2 }), /4 pixels/],
    ['bad UID', () => writeDicom({ hu: new Float32Array(1), width: 1, height: 1 }, { seriesInstanceUid: '1.02.x' }), /DICOM UID/],
    ['padding without value', () => writeDicom({ hu: new Float32Array(1), width: 1, height: 1 }, { padding: Uint8Array.of(1) }), /pixelPaddingValue/],
    ['NaN HU', () => writeDicom({ hu: Float32Array.of(Number.NaN), width: 1, height: 1 }), /NaN/],
    ['bitsStored 20', () => writeDicom({ hu: new Float32Array(1), width: 1, height: 1 }, { bitsStored: 20 }), /bitsStored/],
    ['bad window', () => writeDicom({ hu: new Float32Array(1), width: 1, height: 1 }, { windows: [{ level: 40, width: 0 }] }), /width > 0/],
    [
      'unsigned negative padding',
      () => writeDicom({ hu: new Float32Array(1), width: 1, height: 1 }, { pixelRepresentation: 0, pixelPaddingValue: -1 }),
      /0 to 65535/,
    ],
  ])('throws BAD_INPUT for %s', (_, fn, pattern) => {
    const error = thrownError(fn);
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(pattern);
  });
});

describe('readDicom errors (generated bad inputs)', () => {
  const good = () => writeDicom({ hu: ramp(), width: W, height: H });

  it('zero bytes -> DECODE_FAILED', () => {
    expectFailure(() => readDicom(new Uint8Array(0), { name: 'empty.dcm' }), 'DECODE_FAILED', 'empty.dcm', /empty \(0 bytes\)/);
  });

  it.each(['explicit', 'implicit'] as const)('cut in half (inside the pixel data), %s VR -> DECODE_FAILED saying the pixel data is short', (transferSyntax) => {
    const bytes = writeDicom({ hu: new Float32Array(64 * 64), width: 64, height: 64 }, { transferSyntax });
    const half = bytes.slice(0, Math.floor(bytes.length / 2));
    expect(half.length).toBeGreaterThan(elementOf(bytes, 'x7fe00010').dataOffset);
    const error = expectFailure(() => readDicom(half, { name: 'half.dcm' }), 'DECODE_FAILED', 'half.dcm', /pixel data holds \d+ bytes/, /truncated/);
    expect(error.details.expected).toBe(64 * 64 * 2);
    expect(error.details.received).toBe(half.length - elementOf(bytes, 'x7fe00010').dataOffset);
  });

  it('cut two bytes short -> DECODE_FAILED', () => {
    const bytes = good();
    expectFailure(() => readDicom(bytes.slice(0, bytes.length - 2), { name: 'short.dcm' }), 'DECODE_FAILED', 'short.dcm', /pixel data/);
  });

  it.each([133, 140, 150, 170, 200, 300, 500, 700])('cut at byte %i (in the header) -> DECODE_FAILED', (n) => {
    for (const transferSyntax of ['explicit', 'implicit'] as const) {
      const bytes = writeDicom({ hu: ramp(), width: W, height: H }, { transferSyntax });
      const error = expectFailure(() => readDicom(bytes.slice(0, n), { name: 'cut.dcm' }), 'DECODE_FAILED', 'cut.dcm', /truncated|no PixelData/);
      if (/parser|corrupt/.test(error.message)) expect(error.cause).toBeInstanceOf(Error);
    }
  });

  it('a file ending just before its pixel data -> DECODE_FAILED naming PixelData', () => {
    const bytes = good();
    const pd = elementOf(bytes, 'x7fe00010');
    expectFailure(() => readDicom(bytes.slice(0, pd.dataOffset - 12), { name: 'nopixels.dcm' }), 'DECODE_FAILED', 'nopixels.dcm', /no PixelData \(7FE0,0010\)/);
  });

  it.each([
    ['a PNG signature', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...new Uint8Array(200)), /PNG/],
    ['text', new TextEncoder().encode('patient,label\nP1,1\nP2,0\n'.repeat(20)), /not a DICOM file/],
    ['zeros', new Uint8Array(300), /not a DICOM file/],
    ['a JPEG signature', Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, ...new Uint8Array(50)), /JPEG/],
  ])('%s -> DECODE_FAILED "not a DICOM file"', (_, bytes, pattern) => {
    expectFailure(() => readDicom(bytes, { name: 'notdicom.bin' }), 'DECODE_FAILED', 'notdicom.bin', /not a DICOM/, pattern);
  });

  it('names "the DICOM bytes" when no name is given', () => {
    const error = thrownError(() => readDicom(new Uint8Array(0)));
    expect(error.message).toContain('the DICOM bytes');
    expect(error.details.file).toBeUndefined();
  });

  it.each([
    ['1.2.840.10008.1.2.4.90', 'JPEG 2000 Image Compression (Lossless Only) (1.2.840.10008.1.2.4.90)'],
    ['1.2.840.10008.1.2.5', 'RLE Lossless (1.2.840.10008.1.2.5)'],
    ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1) (1.2.840.10008.1.2.4.50)'],
    ['1.2.840.10008.1.2.4.70', '(1.2.840.10008.1.2.4.70)'],
    ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless Image Compression (1.2.840.10008.1.2.4.80)'],
  ])('transfer syntax %s -> UNSUPPORTED_DICOM naming the syntax and how to convert', (uid, named) => {
    const bytes = patchTransferSyntax(good(), uid);
    const error = expectFailure(() => readDicom(bytes, { name: 'compressed.dcm' }), 'UNSUPPORTED_DICOM', 'compressed.dcm', /gdcmconv --raw/, /dcmdjpeg/);
    expect(error.message).toContain(named);
    expect(error.details.transferSyntax).toBe(uid);
  });

  it('multi-frame -> UNSUPPORTED_DICOM', () => {
    const bytes = insertAfter(good(), 'x00280004', 0x00280008, 'IS', ascii('2', 0x20));
    expectFailure(() => readDicom(bytes, { name: 'cine.dcm' }), 'UNSUPPORTED_DICOM', 'cine.dcm', /multi-frame/, /NumberOfFrames 2/);
    // NumberOfFrames 1 is fine
    const one = insertAfter(good(), 'x00280004', 0x00280008, 'IS', ascii('1', 0x20));
    expect(readDicom(one).width).toBe(W);
  });

  it.each(['RGB', 'PALETTE COLOR', 'YBR_FULL'])('photometric %s -> UNSUPPORTED_DICOM', (pi) => {
    const bytes = replaceString(good(), 'x00280004', pi);
    expectFailure(() => readDicom(bytes, { name: 'colour.dcm' }), 'UNSUPPORTED_DICOM', 'colour.dcm', new RegExp(pi), /MONOCHROME/);
  });

  it('SamplesPerPixel 3 -> UNSUPPORTED_DICOM', () => {
    const bytes = replaceValue(good(), 'x00280002', us(3));
    expectFailure(() => readDicom(bytes, { name: 'rgb.dcm' }), 'UNSUPPORTED_DICOM', 'rgb.dcm', /3 sample/);
  });

  it('HighBit other than BitsStored - 1 -> UNSUPPORTED_DICOM', () => {
    const bytes = replaceValue(writeDicom({ hu: ramp(), width: W, height: H }, { bitsStored: 12 }), 'x00280102', us(15));
    expectFailure(() => readDicom(bytes, { name: 'highbit.dcm' }), 'UNSUPPORTED_DICOM', 'highbit.dcm', /HighBit is 15/);
  });

  it('BitsAllocated 32 -> UNSUPPORTED_DICOM; BitsStored > BitsAllocated -> DECODE_FAILED', () => {
    expectFailure(() => readDicom(replaceValue(good(), 'x00280100', us(32)), { name: 'b32.dcm' }), 'UNSUPPORTED_DICOM', 'b32.dcm', /BitsAllocated 32/);
    expectFailure(() => readDicom(replaceValue(good(), 'x00280101', us(17)), { name: 'b17.dcm' }), 'DECODE_FAILED', 'b17.dcm', /BitsStored 17/);
  });
});

describe('isDicom', () => {
  it('sniffs "DICM" at byte 128', () => {
    const bytes = writeDicom({ hu: ramp(), width: W, height: H });
    expect(isDicom(bytes)).toBe(true);
    expect(isDicom(bytes.slice().buffer)).toBe(true);
    expect(isDicom(bytes.slice(0, 131))).toBe(false);
    expect(isDicom(new Uint8Array(0))).toBe(false);
    expect(isDicom(new Uint8Array(1000))).toBe(false);
  });
});

describe('dicomUid', () => {
  it('is deterministic, valid and distinct per input', () => {
    expect(dicomUid('a', 1)).toBe(dicomUid('a', 1));
    expect(dicomUid('a', 1)).not.toBe(dicomUid('a', 2));
    expect(dicomUid('a1')).not.toBe(dicomUid('a', 1));
    expect(dicomUid('x')).toMatch(/^2\.25\.[1-9][0-9]{0,38}$/);
  });
});
