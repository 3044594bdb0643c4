import dicomParser from 'dicom-parser';

/** A whole chunk (PNG), marker segment (JPEG) or element (DICOM): what truncation, removal and duplication act on. */
export interface Unit {
  readonly start: number;
  readonly end: number;
}

/** A header field worth corrupting on purpose. */
export interface Field {
  readonly offset: number;
  readonly size: 1 | 2 | 4;
  readonly littleEndian: boolean;
  /** `length`: a length field; `dimension`: width/height/rows/columns; `type`: depth, colour type, bits, sampling. */
  readonly role: 'length' | 'dimension' | 'type';
}

/** Where a file's structure is, found once on the pristine seed. */
export interface Structure {
  readonly units: Unit[];
  readonly fields: Field[];
  /** End of the header region (where the pixel data starts): positional mutations favour bytes before it. */
  readonly hotEnd: number;
}

const u32be = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset).getUint32(o, false);
const u16be = (b: Uint8Array, o: number) => ((b[o] as number) << 8) | (b[o + 1] as number);
const at = (b: Uint8Array, o: number) => b[o] ?? 0;

/** PNG chunks: length, type, data, CRC. IHDR's width/height, depth, colour type and flags are fields. */
export function pngStructure(b: Uint8Array): Structure {
  const units: Unit[] = [];
  const fields: Field[] = [];
  let hotEnd = b.length;
  for (let o = 8; o + 12 <= b.length; ) {
    const length = u32be(b, o);
    const type = String.fromCharCode(...b.subarray(o + 4, o + 8));
    const end = Math.min(b.length, o + 12 + length);
    units.push({ start: o, end });
    fields.push({ offset: o, size: 4, littleEndian: false, role: 'length' });
    if (type === 'IHDR') {
      fields.push({ offset: o + 8, size: 4, littleEndian: false, role: 'dimension' });
      fields.push({ offset: o + 12, size: 4, littleEndian: false, role: 'dimension' });
      for (let k = 16; k < 21; k++) fields.push({ offset: o + k, size: 1, littleEndian: false, role: 'type' });
    }
    if (type === 'IDAT' && hotEnd === b.length) hotEnd = o + 16;
    o = end;
  }
  return { units, fields, hotEnd };
}

const SOF = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** JPEG marker segments (a scan's unit runs to the next marker). SOF sizes, sampling and table ids are fields. */
export function jpegStructure(b: Uint8Array): Structure {
  const units: Unit[] = [];
  const fields: Field[] = [];
  let hotEnd = b.length;
  let o = 2;
  while (o + 4 <= b.length) {
    const next = at(b, o + 1);
    if (b[o] !== 0xff || next === 0xff || next === 0 || (next >= 0xd0 && next <= 0xd8)) {
      o++;
      continue;
    }
    const marker = next;
    if (marker === 0xd9) break;
    const length = u16be(b, o + 2);
    let end = Math.min(b.length, o + 2 + length);
    fields.push({ offset: o + 2, size: 2, littleEndian: false, role: 'length' });
    if (SOF(marker)) {
      fields.push({ offset: o + 4, size: 1, littleEndian: false, role: 'type' }); // precision
      fields.push({ offset: o + 5, size: 2, littleEndian: false, role: 'dimension' });
      fields.push({ offset: o + 7, size: 2, littleEndian: false, role: 'dimension' });
      fields.push({ offset: o + 9, size: 1, littleEndian: false, role: 'type' }); // components
      for (let k = o + 10; k + 2 < end; k += 3) {
        fields.push({ offset: k + 1, size: 1, littleEndian: false, role: 'type' }); // sampling factors
        fields.push({ offset: k + 2, size: 1, littleEndian: false, role: 'type' }); // quantisation table
      }
    } else if (marker === 0xc4 || marker === 0xdb || marker === 0xda) {
      fields.push({ offset: o + 4, size: 1, littleEndian: false, role: 'type' }); // table class/id, or scan components
    }
    if (marker === 0xda) {
      if (hotEnd === b.length) hotEnd = end + 32;
      // The entropy-coded scan runs to the next marker that is not a stuffed zero or a restart.
      const isMarker = (i: number) => b[i] === 0xff && at(b, i + 1) !== 0 && (at(b, i + 1) < 0xd0 || at(b, i + 1) > 0xd7);
      while (end + 1 < b.length && !isMarker(end)) end++;
    }
    units.push({ start: o, end });
    o = end;
  }
  return { units, fields, hotEnd: Math.min(hotEnd, b.length) };
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const IMAGE_TYPE_TAGS = ['x00280002', 'x00280100', 'x00280101', 'x00280102', 'x00280103'];

/** Top-level DICOM elements as dicom-parser finds them. Rows/Columns, bits and sample counts are fields. */
export function dicomStructure(b: Uint8Array): Structure {
  const ds = dicomParser.parseDicom(b);
  const implicit = ds.string('x00020010') === '1.2.840.10008.1.2';
  const units: Unit[] = [];
  const fields: Field[] = [];
  for (const e of Object.values(ds.elements)) {
    if (e.hadUndefinedLength) continue;
    const explicit = !implicit || e.tag.startsWith('x0002');
    const long = !explicit || LONG_VRS.has(e.vr ?? '');
    const head = explicit && long ? 12 : 8;
    units.push({ start: e.dataOffset - head, end: Math.min(b.length, e.dataOffset + e.length) });
    fields.push({ offset: e.dataOffset - (long ? 4 : 2), size: long ? 4 : 2, littleEndian: true, role: 'length' });
    if (e.tag === 'x00280010' || e.tag === 'x00280011') fields.push({ offset: e.dataOffset, size: 2, littleEndian: true, role: 'dimension' });
    if (IMAGE_TYPE_TAGS.includes(e.tag)) fields.push({ offset: e.dataOffset, size: 2, littleEndian: true, role: 'type' });
  }
  units.sort((x, y) => x.start - y.start);
  const pixels = ds.elements.x7fe00010;
  return { units, fields, hotEnd: pixels ? pixels.dataOffset + 16 : b.length };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** Rewrites the CRC of every complete PNG chunk, so a mutation reaches the decoder past its CRC check. */
export function fixPngCrcs(b: Uint8Array): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let o = 8; o + 12 <= b.length; ) {
    const end = o + 12 + view.getUint32(o, false);
    if (end > b.length) return;
    let c = 0xffffffff;
    for (let i = o + 4; i < end - 4; i++) c = (CRC_TABLE[(c ^ (b[i] as number)) & 0xff] as number) ^ (c >>> 8);
    view.setUint32(end - 4, (c ^ 0xffffffff) >>> 0, false);
    o = end;
  }
}
