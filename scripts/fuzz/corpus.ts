import { encode as encodePng } from 'fast-png';
import { Jimp } from 'jimp';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readDicom, writeDicom } from '../../src/dicom/index.js';
import { dicomStructure, jpegStructure, pngStructure } from './formats.js';
import type { Seed, SeedKind } from './mutate.js';

/**
 * head_ct slices used as seeds: small and large, RGB and RGBA. The shared data holds no JPEG, so
 * JPEG seeds are the first four re-encoded with jimp.
 */
const PNG_IDS = ['152', '059', '009', '087', '198', '197'];
const DICOM_FILES = ['barre_CT-MONO2-16-brain.dcm', 'ge_hispeed_head_ct_gantry_tilt/01.dcm', 'rsna_ich_examples/ID_000000e27.dcm', 'rsna_ich_examples/ID_fffc60817.dcm'];

function seed(name: string, kind: SeedKind, bytes: Uint8Array): Seed {
  const structure = kind === 'jpeg' ? jpegStructure(bytes) : kind === 'dicom' ? dicomStructure(bytes) : pngStructure(bytes);
  return { name, kind, bytes, structure };
}

async function pngFiles(dir: string): Promise<string[]> {
  const all = (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
  const chosen = PNG_IDS.map((id) => `${id}.png`).filter((f) => all.includes(f));
  return chosen.length > 0 ? chosen : all.slice(0, PNG_IDS.length);
}

/** A centre crop of a slice's HU, `size` x `size`. */
function crop(hu: Float32Array, width: number, height: number, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const x0 = Math.floor((width - size) / 2);
  const y0 = Math.floor((height - size) / 2);
  for (let y = 0; y < size; y++) out.set(hu.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + size), y * size);
  return out;
}

/**
 * Reads the seed files from the shared data folder (`head_ct/` and `dicom/`): PNG slices, JPEG
 * re-encodings of them, real DICOM files, and two derived from a real slice: a 16-bit HU PNG
 * (HU + 1024) and a small implicit-VR DICOM crop.
 */
export async function loadCorpus(dataDir: string): Promise<Record<SeedKind, Seed[]>> {
  const headCt = join(dataDir, 'head_ct');
  const dicomDir = join(dataDir, 'dicom');
  if (!existsSync(headCt) || !existsSync(dicomDir)) {
    throw new Error(`The fuzzer reads real files from ${dataDir} (head_ct/ and dicom/); place the shared data folder there or pass --data.`);
  }
  const png: Seed[] = [];
  const jpeg: Seed[] = [];
  for (const file of await pngFiles(headCt)) {
    const bytes = new Uint8Array(await readFile(join(headCt, file)));
    png.push(seed(file, 'png', bytes));
    if (jpeg.length < 4) {
      const image = await Jimp.fromBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      jpeg.push(seed(file.replace(/\.png$/, '.jpg'), 'jpeg', new Uint8Array(await image.getBuffer('image/jpeg', { quality: 85 }))));
    }
  }
  const dicom: Seed[] = [];
  for (const file of DICOM_FILES.filter((f) => existsSync(join(dicomDir, f)))) {
    dicom.push(seed(file, 'dicom', new Uint8Array(await readFile(join(dicomDir, file)))));
  }
  const first = dicom[0];
  if (png.length === 0 || first === undefined) throw new Error(`No PNG or DICOM seeds found under ${dataDir}.`);
  const slice = readDicom(first.bytes);
  const hu = crop(slice.hu, slice.width, slice.height, 128);
  dicom.push(seed('crop-implicit.dcm', 'dicom', writeDicom({ hu, width: 128, height: 128 }, { transferSyntax: 'implicit' })));
  const stored = Uint16Array.from(hu, (v) => Math.max(0, Math.min(65535, Math.round(v + 1024))));
  const png16 = [seed('crop-hu16.png', 'png16', encodePng({ width: 128, height: 128, data: stored, depth: 16, channels: 1 }))];
  return { png, jpeg, dicom, png16 };
}
