import { createRng, mixSeed } from '../random/index.js';
import { WINDOW_PRESETS } from '../windowing/index.js';
import { AIR, buildAnatomy } from './anatomy.js';
import {
  bad,
  between,
  checkKinds,
  checkSeed,
  CT_PHANTOM_DEFAULTS,
  HEMORRHAGE_KINDS,
  PHANTOM_TISSUE_HU,
  resolveOptions,
  type CtPhantom,
  type CtPhantomOptions,
  type CtPhantomsOptions,
  type HemorrhageKind,
  type Resolved,
} from './ct-options.js';
import { paintShape, surroundingMean } from './lesions.js';
import { gaussianBlur, NORMAL_TABLE_SIZE, normalTable } from './noise.js';

function render(r: Resolved, kind: HemorrhageKind | 'none', seed: number, id: string): CtPhantom {
  const anatomy = buildAnatomy(r.size, createRng(mixSeed(seed, 1)));
  const { size, labels } = anatomy;
  const n = size * size;
  const hu = anatomy.hu;
  const mask = new Uint8Array(n);
  let contrast = 0;
  if (kind !== 'none') {
    const rng = createRng(mixSeed(seed, 2));
    const sizeFrac = between(rng, r.lesionSize[kind]);
    contrast = between(rng, r.contrast);
    // Shapes that would rasterise to nothing at tiny sizes are redrawn larger.
    let painted = 0;
    for (let grow = 1; painted === 0 && grow < 20; grow *= 1.5) painted = paintShape(anatomy, kind, sizeFrac * grow, rng, mask);
    const reach = Math.max(2, Math.round(anatomy.radius * 0.08));
    const around = surroundingMean(anatomy, mask, reach);
    const blood = (Number.isNaN(around) ? anatomy.brainMean : around) + contrast;
    for (let i = 0; i < n; i++) if (mask[i] === 1) hu[i] = blood;
  }
  if (r.blur > 0) {
    let lo = size;
    let hi = -1;
    for (let i = 0; i < n; i++) {
      if (labels[i] === AIR) continue;
      const x = i % size;
      const y = (i - x) / size;
      lo = Math.min(lo, x, y);
      hi = Math.max(hi, x, y);
    }
    const reach = Math.ceil(2.5 * r.blur) + 1;
    gaussianBlur(hu, size, r.blur, Math.max(0, lo - reach), Math.min(size - 1, hi + reach));
    for (let i = 0; i < n; i++) if (labels[i] === AIR && hu[i]! < -999.5) hu[i] = PHANTOM_TISSUE_HU.air;
  }
  if (r.noise > 0) {
    const rng = createRng(mixSeed(seed, 3));
    const table = normalTable();
    const sd = r.noise;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== AIR) hu[i] = hu[i]! + sd * table[(rng() * NORMAL_TABLE_SIZE) | 0]!;
    }
  }
  return {
    hu,
    width: size,
    height: size,
    window: WINDOW_PRESETS.brain,
    mask,
    label: kind === 'none' ? 0 : 1,
    kind,
    id,
    seed,
    contrast,
  };
}

function pickKind(seed: number, kinds: readonly HemorrhageKind[]): HemorrhageKind {
  const rng = createRng(mixSeed(seed, 4));
  return kinds[Math.min(kinds.length - 1, Math.floor(rng() * kinds.length))] as HemorrhageKind;
}

/**
 * Generates one seeded synthetic axial head CT slice in Hounsfield units, at the level of the
 * lateral ventricles: air (-1000) around a lumpy elliptical head, a thin scalp (+30..+50), a skull
 * of varying thickness with dense outer and inner tables (+1100..+1600) around the diploe
 * (+500..+800), grey (+36..+40) and white matter (+26..+30) with deep grey nuclei and slow
 * variation, CSF (+2..+8) in the lateral ventricles, sulci, interhemispheric fissure and a thin
 * rim at the brain surface; then, for a hemorrhage kind, blood `contrast` HU above the
 * surrounding parenchyma; then a mild blur and Gaussian noise. `mask` is exactly the pixels
 * where blood was painted. Browser-safe; a toy model of CT, not a simulation of a scanner.
 *
 * @example
 * ```ts
 * const slice = generateCtPhantom({ kind: 'subdural', size: 128, seed: 3 });
 * slice.hu[0];                               // -1000 (air in the corner)
 * [slice.label, slice.kind, slice.id];       // [1, 'subdural', 'ct-phantom-3']
 * slice.mask.reduce((a, b) => a + b, 0);     // 309 (pixels of blood)
 * slice.contrast;                            // 42.52... (HU over the surrounding brain)
 * generateCtPhantom({ kind: 'none', seed: 3 }).mask.every((m) => m === 0); // true: the same head, no blood
 * ```
 */
export function generateCtPhantom(options: CtPhantomOptions = {}): CtPhantom {
  const resolved = resolveOptions(options);
  const seed = checkSeed(options.seed ?? CT_PHANTOM_DEFAULTS.seed);
  const kindOption = options.kind ?? CT_PHANTOM_DEFAULTS.kind;
  if (kindOption !== 'none' && kindOption !== 'random' && !(HEMORRHAGE_KINDS as readonly string[]).includes(kindOption)) {
    throw bad('kind', `Option kind must be one of ${HEMORRHAGE_KINDS.join(', ')}, none or random; got ${JSON.stringify(kindOption)}.`, kindOption);
  }
  const kind = kindOption === 'random' ? pickKind(seed, HEMORRHAGE_KINDS) : kindOption;
  return render(resolved, kind, seed, `ct-phantom-${seed}`);
}

/**
 * Generates `count` seeded synthetic head CT slices in HU ({@link generateCtPhantom}), a share
 * `positiveFraction` of them with a hemorrhage of one of `kinds`. Slice `i` is drawn from the seed
 * `mixSeed(seed, i)` and does not depend on `count`: the labels are random but stratified, every
 * prefix of the list holding within one slice of its share of positives (so exactly
 * `count * positiveFraction` when that is a whole number, else it rounded down or up).
 *
 * @example
 * ```ts
 * const slices = generateCtPhantoms({ count: 6, size: 64, seed: 7 });
 * slices.map((s) => s.label);  // [1, 0, 1, 0, 0, 1]
 * slices.map((s) => s.kind);   // ['subarachnoid', 'none', 'intraparenchymal', 'none', 'none', 'subarachnoid']
 * slices[0].id;                // 'ct-phantom-0000'
 * ```
 */
export function generateCtPhantoms(options: CtPhantomsOptions = {}): CtPhantom[] {
  const resolved = resolveOptions(options);
  const seed = checkSeed(options.seed ?? CT_PHANTOM_DEFAULTS.seed);
  const count = options.count ?? CT_PHANTOM_DEFAULTS.count;
  if (!Number.isInteger(count) || count < 1) {
    throw bad('count', `Option count must be an integer >= 1 (the number of slices); got ${String(count)}.`, count);
  }
  const fraction = options.positiveFraction ?? CT_PHANTOM_DEFAULTS.positiveFraction;
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw bad('positiveFraction', `Option positiveFraction must be a number in [0, 1]; got ${String(fraction)}.`, fraction);
  }
  const kinds = checkKinds(options.kinds ?? CT_PHANTOM_DEFAULTS.kinds, 'kinds');
  const labelRng = createRng(mixSeed(seed, 0x1abe1));
  const out: CtPhantom[] = [];
  let positives = 0;
  for (let i = 0; i < count; i++) {
    // Keep |positives after i+1 slices - (i+1) * fraction| < 1; choose at random when both fit.
    const target = (i + 1) * fraction;
    const canNegative = positives > target - 1 + 1e-9;
    const canPositive = positives + 1 < target + 1 - 1e-9;
    const draw = labelRng();
    const positive = canNegative && canPositive ? draw < fraction : canPositive;
    if (positive) positives++;
    const sliceSeed = mixSeed(seed, i);
    const kind = positive ? pickKind(sliceSeed, kinds) : 'none';
    out.push(render(resolved, kind, sliceSeed, `ct-phantom-${String(i).padStart(4, '0')}`));
  }
  return out;
}
