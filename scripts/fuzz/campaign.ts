import { createRng, mixSeed, type Rng } from '../../src/random/index.js';
import { mutate, type Seed, type SeedKind } from './mutate.js';
import { isFailure, type Outcome } from './outcome.js';
import type { FuzzPool } from './pool.js';
import type { FuzzInput, Target } from './targets.js';

/** A case that crashed or hung, with what is needed to replay it. */
export interface Failure {
  readonly target: string;
  readonly caseIndex: number;
  readonly inputs: FuzzInput[];
  /** Per input: its seed and the mutations applied. */
  readonly provenance: string[];
  readonly outcome: Outcome;
}

/** Counts of one target's run. */
export interface CampaignStats {
  readonly target: string;
  cases: number;
  decoded: number;
  /** Typed errors (CtHemorrhageError) by code. */
  errors: Record<string, number>;
  crashes: number;
  hangs: number;
  /** Cases over the time limit once that finished on a fresh worker (machine load, not the input). */
  slow: number;
  maxMs: number;
  seconds: number;
  failures: Failure[];
}

const int = (rng: Rng, n: number) => Math.floor(rng() * n);

/** A stable number for a target name, so each target has its own case stream for a seed. */
function nameKey(name: string): number {
  let h = 0;
  for (const c of name) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return h;
}

/**
 * The inputs of case `index`: one seed kind per case, then one mutant per file (for a
 * multi-file target the first file stays pristine, so loading also meets good files).
 * Every case has its own random stream, so any case can be regenerated alone.
 */
export function makeCase(target: Target, corpus: Record<SeedKind, Seed[]>, seed: number, index: number): { inputs: FuzzInput[]; provenance: string[] } {
  const rng = createRng(mixSeed(seed, nameKey(target.name), index));
  const kinds = target.kinds.filter((k) => corpus[k].length > 0);
  const kind = kinds[int(rng, kinds.length)] as SeedKind;
  const inputs: FuzzInput[] = [];
  const provenance: string[] = [];
  for (let f = 0; f < target.files; f++) {
    const source = corpus[kind][int(rng, corpus[kind].length)] as Seed;
    const ext = kind === 'dicom' ? 'dcm' : kind === 'jpeg' ? 'jpg' : 'png';
    const name = `case${index}-${f}.${ext}`;
    if (target.files > 1 && f === 0) {
      inputs.push({ name, bytes: source.bytes });
      provenance.push(`${name}: ${source.name} unchanged`);
    } else {
      const m = mutate(source, rng);
      inputs.push({ name, bytes: m.bytes });
      provenance.push(`${name}: ${m.seed}: ${m.ops.join('; ')}`);
    }
  }
  return { inputs, provenance };
}

/** Runs `cases` cases of one target on the pool, as many at once as the pool has workers. */
export async function runCampaign(
  target: Target,
  corpus: Record<SeedKind, Seed[]>,
  options: { cases: number; seed: number; pool: FuzzPool },
): Promise<CampaignStats> {
  const stats: CampaignStats = { target: target.name, cases: 0, decoded: 0, errors: {}, crashes: 0, hangs: 0, slow: 0, maxMs: 0, seconds: 0, failures: [] };
  const start = performance.now();
  let next = 0;
  const runOne = async (index: number) => {
    const { inputs, provenance } = makeCase(target, corpus, options.seed, index);
    let outcome = await options.pool.run(target.name, inputs);
    if (outcome.kind === 'hang') {
      // Confirm on a fresh worker: a real hang hangs again, a busy machine does not.
      const again = await options.pool.run(target.name, inputs);
      if (again.kind !== 'hang') stats.slow++;
      outcome = again;
    }
    stats.cases++;
    if (outcome.kind !== 'hang') stats.maxMs = Math.max(stats.maxMs, outcome.ms);
    if (outcome.kind === 'decoded') stats.decoded++;
    else if (outcome.kind === 'error') stats.errors[outcome.code] = (stats.errors[outcome.code] ?? 0) + 1;
    else if (outcome.kind === 'crash') stats.crashes++;
    else stats.hangs++;
    if (isFailure(outcome)) stats.failures.push({ target: target.name, caseIndex: index, inputs, provenance, outcome });
  };
  const lanes = Array.from({ length: options.pool.size }, async () => {
    while (next < options.cases) await runOne(next++);
  });
  await Promise.all(lanes);
  stats.seconds = (performance.now() - start) / 1000;
  stats.failures.sort((a, b) => a.caseIndex - b.caseIndex);
  return stats;
}
