// Renders the data figures of docs/data.md:
//   docs/images/dicom-brain-window.png  real DICOM slices (../shared/data/dicom) in the brain window
//   docs/images/dicom-window-stack.png  the same slices as brain | subdural | soft tissue | the 3 windows as RGB
//   docs/images/phantom-kinds.png       a phantom of each hemorrhage kind (brain window) and its lesion mask
//   npm run docs:data
import { Jimp, loadFont } from 'jimp';
import { SANS_16_WHITE } from 'jimp/fonts';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readDicom } from '../src/dicom/index.js';
import { generateCtPhantom, HEMORRHAGE_KINDS, type HemorrhageKind } from '../src/phantom/index.js';
import { applyWindow, WINDOW_PRESETS } from '../src/windowing/index.js';

const shared = (path: string) => fileURLToPath(new URL(`../../shared/data/${path}`, import.meta.url));
const out = (name: string) => fileURLToPath(new URL(`../docs/images/${name}`, import.meta.url));
const TILE = 256;
const GAP = 4;
const CAPTION = 22;

/** Box-resamples a `w x h` plane to TILE x TILE. */
function resample(values: Float32Array, w: number, h: number): Float32Array {
  const outPlane = new Float32Array(TILE * TILE);
  for (let y = 0; y < TILE; y++) {
    const y0 = Math.floor((y * h) / TILE);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * h) / TILE));
    for (let x = 0; x < TILE; x++) {
      const x0 = Math.floor((x * w) / TILE);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * w) / TILE));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += values[yy * w + xx] as number;
      outPlane[y * TILE + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return outPlane;
}

type Tile = { rgb: [Float32Array, Float32Array, Float32Array]; caption: string };
const grey = (plane: Float32Array, caption: string): Tile => ({ rgb: [plane, plane, plane], caption });

async function writeGrid(rows: Tile[][], file: string): Promise<void> {
  const cols = Math.max(...rows.map((r) => r.length));
  const width = cols * TILE + (cols - 1) * GAP;
  const height = rows.length * (TILE + CAPTION) + (rows.length - 1) * GAP;
  const data = Buffer.alloc(width * height * 4, 0);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  rows.forEach((row, r) =>
    row.forEach((tile, c) => {
      const ox = c * (TILE + GAP);
      const oy = r * (TILE + CAPTION + GAP) + CAPTION;
      for (let y = 0; y < TILE; y++) {
        for (let x = 0; x < TILE; x++) {
          const o = ((oy + y) * width + ox + x) * 4;
          for (let k = 0; k < 3; k++) data[o + k] = Math.round(255 * Math.min(1, Math.max(0, tile.rgb[k]![y * TILE + x] as number)));
        }
      }
    }),
  );
  const image = new Jimp({ width, height, data });
  const font = await loadFont(SANS_16_WHITE);
  rows.forEach((row, r) =>
    row.forEach((tile, c) => image.print({ font, x: c * (TILE + GAP) + 4, y: r * (TILE + CAPTION + GAP) + 2, text: tile.caption })),
  );
  await image.write(file as `${string}.png`);
  console.log(`wrote ${file}`);
}

const files = [
  ['barre_CT-MONO2-16-brain.dcm', 'Picker PQ5000'],
  ['ge_hispeed_head_ct_gantry_tilt/14.dcm', 'GE HiSpeed 14'],
  ['rsna_ich_examples/ID_000000e27.dcm', 'RSNA 000000e27'],
  ['rsna_ich_examples/ID_fffc60817.dcm', 'RSNA fffc60817'],
] as const;
const slices = await Promise.all(files.map(async ([f]) => readDicom(await readFile(shared(`dicom/${f}`)), { name: f })));
const brain = slices.map((s, i) => grey(resample(applyWindow(s.hu, WINDOW_PRESETS.brain), s.width, s.height), `${files[i]![1]}: brain 40/80`));
await writeGrid([brain.slice(0, 2), brain.slice(2)], out('dicom-brain-window.png'));

const stackRows = slices.map((s, i) => {
  const [b, d, t] = (['brain', 'subdural', 'soft-tissue'] as const).map((w) => resample(applyWindow(s.hu, WINDOW_PRESETS[w]), s.width, s.height)) as [
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  return [grey(b, `brain 40/80`), grey(d, 'subdural 80/200'), grey(t, 'soft tissue 40/380'), { rgb: [b, d, t], caption: `${files[i]![1]}: RGB stack` } as Tile];
});
await writeGrid(stackRows, out('dicom-window-stack.png'));

const kinds: (HemorrhageKind | 'none')[] = ['none', ...HEMORRHAGE_KINDS];
const phantomRow: Tile[] = [];
const maskRow: Tile[] = [];
for (const kind of kinds) {
  const p = generateCtPhantom({ kind, size: TILE, seed: 7 });
  const windowed = applyWindow(p.hu, WINDOW_PRESETS.brain);
  phantomRow.push(grey(windowed, kind));
  const mask = Float32Array.from(p.mask);
  const dim = windowed.map((v) => v * 0.6);
  maskRow.push({ rgb: [dim.map((v, i) => (mask[i] ? 1 : v)), dim.map((v, i) => (mask[i] ? 0.2 : v)), dim.map((v, i) => (mask[i] ? 0.2 : v))], caption: `${kind}: mask (${p.mask.reduce((a, b) => a + b, 0)} px)` });
}
await writeGrid([phantomRow, maskRow], out('phantom-kinds.png'));
