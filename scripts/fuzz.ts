// Fuzzes the decoders with mutated real files: `npm run fuzz -- --cases 10000 --seed 1`.
// Every case runs in a worker thread with a time limit; a case that throws anything but a
// CtHemorrhageError is a crash, one over the limit a hang. Exits 1 on any, writing the inputs
// under runs/ to replay with `npm run fuzz -- --replay <folder>`.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runCampaign, type CampaignStats } from './fuzz/campaign.js';
import { loadCorpus } from './fuzz/corpus.js';
import { FuzzPool } from './fuzz/pool.js';
import { formatTable, writeFailures } from './fuzz/report.js';
import { TARGETS } from './fuzz/targets.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    'loader-cases': { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    'timeout-ms': { type: 'string', default: '1000' },
    workers: { type: 'string', default: '2' },
    targets: { type: 'string', default: Object.keys(TARGETS).join(',') },
    data: { type: 'string', default: '../shared/data' },
    out: { type: 'string' },
    replay: { type: 'string' },
  },
});

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} takes a whole number; got ${String(value)}.`);
  return n;
}

const pool = new FuzzPool(Math.max(1, positiveInt('workers', values.workers)), positiveInt('timeout-ms', values['timeout-ms']));

/** Runs the cases saved by an earlier run again and prints each outcome. */
async function replay(dir: string): Promise<boolean> {
  const records = JSON.parse(await readFile(join(dir, 'failures.json'), 'utf8')) as { target: string; case: number; files: string[] }[];
  let failed = false;
  for (const r of records) {
    const inputs = await Promise.all(r.files.map(async (f) => ({ name: f, bytes: new Uint8Array(await readFile(join(dir, f))) })));
    const outcome = await pool.run(r.target, inputs);
    failed ||= outcome.kind === 'crash' || outcome.kind === 'hang';
    console.log(`${r.target} case ${r.case}: ${JSON.stringify(outcome)}`);
  }
  return !failed;
}

async function fuzz(): Promise<boolean> {
  const seed = positiveInt('seed', values.seed);
  const cases = positiveInt('cases', values.cases);
  const loaderCases = positiveInt('loader-cases', values['loader-cases']);
  const names = (values.targets ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !TARGETS[n]);
  if (unknown.length > 0) throw new Error(`Unknown targets ${unknown.join(', ')}; known: ${Object.keys(TARGETS).join(', ')}.`);
  const corpus = await loadCorpus(resolve(values.data ?? '../shared/data'));
  console.log(
    `Fuzzing with seed ${seed}, ${cases} cases per decoder (${loaderCases} for loadImageFolder), ${pool.size} workers, ` +
      `${pool.timeoutMs} ms limit. Seeds: ${Object.entries(corpus).map(([k, s]) => `${s.length} ${k}`).join(', ')}.`,
  );
  const all: CampaignStats[] = [];
  const start = performance.now();
  for (const name of names) {
    const target = TARGETS[name]!;
    const stats = await runCampaign(target, corpus, { cases: name === 'loadImageFolder' ? loaderCases : cases, seed, pool });
    console.log(`  ${name}: ${stats.cases} cases in ${stats.seconds.toFixed(1)} s, ${stats.crashes} crashes, ${stats.hangs} hangs`);
    all.push(stats);
  }
  console.log(`\n${formatTable(all)}\n\nTotal ${((performance.now() - start) / 1000).toFixed(1)} s.`);
  const slow = all.reduce((n, s) => n + s.slow, 0);
  if (slow > 0) console.log(`${slow} case(s) passed the time limit once but finished on a fresh worker (machine load); not counted as hangs.`);
  const out = resolve(values.out ?? join('runs', `fuzz-seed${seed}-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  const failures = await writeFailures(out, all);
  if (failures > 0) {
    console.log(`${failures} failing case(s) written to ${out}; replay them with \`npm run fuzz -- --replay ${out}\`.`);
    for (const f of all.flatMap((s) => s.failures).slice(0, 5)) console.log(`\n${f.target} case ${f.caseIndex} (${f.provenance.join(' | ')}):\n${JSON.stringify(f.outcome)}`);
  }
  return failures === 0;
}

try {
  const ok = values.replay ? await replay(resolve(values.replay)) : await fuzz();
  process.exitCode = ok ? 0 : 1;
} finally {
  await pool.close();
}
