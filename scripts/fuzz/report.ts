import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CampaignStats } from './campaign.js';

/** The summary table: one row per target. */
export function formatTable(all: readonly CampaignStats[]): string {
  const header = ['target', 'cases', 'decoded', 'typed errors by code', 'crashes', 'hangs', 'max ms', 'cases/s'];
  const rows = all.map((s) => [
    s.target,
    String(s.cases),
    String(s.decoded),
    Object.entries(s.errors)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || '-',
    String(s.crashes),
    String(s.hangs),
    s.maxMs.toFixed(0),
    (s.cases / Math.max(s.seconds, 1e-9)).toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * Writes every failing case under `dir`: its input files as they were fed, and `failures.json`
 * (target, case, seed file and mutations, outcome) that `--replay` reads.
 */
export async function writeFailures(dir: string, all: readonly CampaignStats[]): Promise<number> {
  const records: object[] = [];
  for (const s of all) {
    for (const f of s.failures) {
      const files: string[] = [];
      for (const input of f.inputs) {
        const file = `${f.target.replace(/[^\w-]/g, '_')}-${input.name}`;
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, file), input.bytes);
        files.push(file);
      }
      records.push({ target: f.target, case: f.caseIndex, files, provenance: f.provenance, outcome: f.outcome });
    }
  }
  if (records.length > 0) await writeFile(join(dir, 'failures.json'), `${JSON.stringify(records, null, 2)}\n`);
  return records.length;
}
