import type { Rng } from '../../src/random/index.js';
import { fixPngCrcs, type Field, type Structure } from './formats.js';

/** The kinds of real file the fuzzer starts from. */
export type SeedKind = 'png' | 'png16' | 'jpeg' | 'dicom';

/** A pristine input file and its structure. */
export interface Seed {
  readonly name: string;
  readonly kind: SeedKind;
  readonly bytes: Uint8Array;
  readonly structure: Structure;
}

/** A mutated copy of a seed and the operations that made it (for the failure report). */
export interface Mutant {
  readonly seed: string;
  readonly bytes: Uint8Array;
  readonly ops: string[];
}

/** Byte values that sit on sign and range boundaries. */
const INTERESTING = [0x00, 0xff, 0x7f, 0x80];

const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)] as T;

/** A position, favouring the header region (before the pixel data) 3 times in 4. */
function position(rng: Rng, length: number, hotEnd: number): number {
  return rng() < 0.75 ? int(rng, Math.max(1, Math.min(hotEnd, length))) : int(rng, Math.max(1, length));
}

function readField(b: Uint8Array, f: Field): number {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return f.size === 1 ? view.getUint8(f.offset) : f.size === 2 ? view.getUint16(f.offset, f.littleEndian) : view.getUint32(f.offset, f.littleEndian);
}

function writeField(b: Uint8Array, f: Field, value: number): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const max = 2 ** (8 * f.size) - 1;
  const v = Math.max(0, Math.min(max, Math.floor(value)));
  if (f.size === 1) view.setUint8(f.offset, v);
  else if (f.size === 2) view.setUint16(f.offset, v, f.littleEndian);
  else view.setUint32(f.offset, v, f.littleEndian);
}

/** Values to give a field of `role`, from its current value. */
function fieldValues(f: Field, current: number, fileLength: number): number[] {
  const max = 2 ** (8 * f.size) - 1;
  const half = 2 ** (8 * f.size - 1);
  const common = [0, 1, max, max - 1, half - 1, half];
  if (f.role === 'length') return [...common, current - 1, current + 1, current * 2, Math.floor(current / 2), fileLength, current + 0x10000];
  if (f.role === 'dimension') return [...common, current * 16, current * 256, 65535, 100_000, 4097, 0x7fffffff];
  return [...common, 2, 3, 4, 6, 8, 12, 16, 17, 32, 0x11, 0x22, 0x44, current ^ 1];
}

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

type InPlace = (b: Uint8Array, s: Structure, rng: Rng) => string | undefined;
type Resize = (b: Uint8Array, s: Structure, rng: Rng) => [Uint8Array, string];

/** Mutations that keep every offset where it was. */
const IN_PLACE: InPlace[] = [
  function bitFlip(b, s, rng) {
    const n = 1 + int(rng, 8);
    const at: number[] = [];
    for (let i = 0; i < n; i++) {
      const o = position(rng, b.length, s.hotEnd);
      b[o] = (b[o] as number) ^ (1 << int(rng, 8));
      at.push(o);
    }
    return `flip bits at ${at.join(',')}`;
  },
  function interestingBytes(b, s, rng) {
    const n = 1 + int(rng, 4);
    const done: string[] = [];
    for (let i = 0; i < n; i++) {
      const o = position(rng, b.length, s.hotEnd);
      b[o] = pick(rng, INTERESTING);
      done.push(`${o}=0x${(b[o] as number).toString(16)}`);
    }
    return `set bytes ${done.join(',')}`;
  },
  function field(b, s, rng) {
    const roles = ['length', 'dimension', 'type'] as const;
    const role = pick(rng, roles);
    const candidates = s.fields.filter((f) => f.role === role && f.offset + f.size <= b.length);
    if (candidates.length === 0) return undefined;
    const f = pick(rng, candidates);
    const before = readField(b, f);
    writeField(b, f, pick(rng, fieldValues(f, before, b.length)));
    return `${role} field at ${f.offset}: ${before} -> ${readField(b, f)}`;
  },
];

/** Mutations that change the length: truncation, insertion, duplication, removal. */
const RESIZE: Resize[] = [
  function truncate(b, s, rng) {
    const unit = s.units.length > 0 && rng() < 0.5 ? pick(rng, s.units) : undefined;
    const at = unit ? Math.max(0, Math.min(b.length, pick(rng, [unit.start, unit.end]) + int(rng, 5) - 2)) : position(rng, b.length, s.hotEnd);
    return [b.slice(0, at), `truncate at ${at}`];
  },
  function insert(b, s, rng) {
    const at = s.units.length > 0 && rng() < 0.5 ? Math.min(b.length, pick(rng, s.units).start) : position(rng, b.length, s.hotEnd);
    const n = 1 + int(rng, 32);
    const bytes = Uint8Array.from({ length: n }, () => (rng() < 0.5 ? pick(rng, INTERESTING) : int(rng, 256)));
    return [splice(b, at, 0, bytes), `insert ${n} bytes at ${at}`];
  },
  function duplicate(b, s, rng) {
    const unit = s.units.length > 0 && rng() < 0.7 ? pick(rng, s.units) : undefined;
    const start = unit ? unit.start : position(rng, b.length, s.hotEnd);
    const end = Math.min(b.length, unit ? unit.end : start + 1 + int(rng, 256));
    if (end - start > 1 << 20) return [b, 'duplicate skipped (unit over 1 MiB)'];
    return [splice(b, end, 0, b.slice(start, end)), `duplicate ${start}..${end}`];
  },
  function remove(b, s, rng) {
    const unit = s.units.length > 0 && rng() < 0.7 ? pick(rng, s.units) : undefined;
    const start = Math.min(b.length, unit ? unit.start : position(rng, b.length, s.hotEnd));
    const end = Math.min(b.length, unit ? unit.end : start + 1 + int(rng, 64));
    return [splice(b, start, end - start, new Uint8Array(0)), `remove ${start}..${end}`];
  },
];

/**
 * One to three in-place mutations, then (every other time) one that changes the length. PNGs
 * get their chunk CRCs fixed half the time, so mutations also reach past the CRC check.
 */
export function mutate(seed: Seed, rng: Rng): Mutant {
  let bytes: Uint8Array = seed.bytes.slice();
  const ops: string[] = [];
  const n = 1 + int(rng, 3);
  for (let i = 0; i < n; i++) {
    const op = pick(rng, IN_PLACE)(bytes, seed.structure, rng);
    if (op) ops.push(op);
  }
  if (rng() < 0.5) {
    const [out, op] = pick(rng, RESIZE)(bytes, seed.structure, rng);
    bytes = out;
    ops.push(op);
  }
  if ((seed.kind === 'png' || seed.kind === 'png16') && rng() < 0.5) {
    fixPngCrcs(bytes);
    ops.push('fix CRCs');
  }
  return { seed: seed.name, bytes, ops };
}
