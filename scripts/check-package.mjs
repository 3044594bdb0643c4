// Packs the library, installs the tarball with its tfjs peers into an empty folder, and checks
// that both entries load through `import` and `require`, that the types resolve, and that the
// CLI runs. Usage: node scripts/check-package.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(execFileSync('npm', ['pkg', 'get', 'version', 'devDependencies', '--json'], { cwd: repo, encoding: 'utf8' }));
const work = mkdtempSync(join(tmpdir(), 'cth-pack-'));
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
let failed = false;
const check = (name, fn) => {
  try {
    const out = fn();
    console.log(`ok   ${name}${out ? `: ${String(out).trim()}` : ''}`);
  } catch (error) {
    failed = true;
    console.log(`FAIL ${name}: ${error.message}`);
  }
};

try {
  sh('npm', ['pack', '--pack-destination', work, '--silent'], repo);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  const app = join(work, 'app');
  sh('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const dev = pkg.devDependencies;
  const peers = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-data', '@tensorflow/tfjs-backend-cpu'];
  sh('npm', ['install', '--no-audit', '--no-fund', '--silent', join(work, tarball), ...peers.map((p) => `${p}@${dev[p]}`), `typescript@${dev.typescript}`], app);

  writeFileSync(
    join(app, 'esm.mjs'),
    `import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildLargerCnn, train, VERSION } from 'ct-hemorrhage';
import { saveModel, loadModel } from 'ct-hemorrhage/node';
tf.enableProdMode();
await tf.setBackend('cpu');
const m = buildLargerCnn({ inputSize: 32 });
if (typeof train !== 'function' || typeof saveModel !== 'function' || typeof loadModel !== 'function') throw new Error('missing export');
console.log(VERSION, m.countParams());
`,
  );
  writeFileSync(
    join(app, 'cjs.cjs'),
    `const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const lib = require('ct-hemorrhage');
const node = require('ct-hemorrhage/node');
tf.enableProdMode();
tf.setBackend('cpu').then(() => {
  const m = lib.buildSimpleCnn({ inputSize: 32 });
  if (typeof lib.train !== 'function' || typeof node.loadPredictor !== 'function') throw new Error('missing export');
  console.log(lib.VERSION, m.countParams());
});
`,
  );
  writeFileSync(
    join(app, 'types.ts'),
    `import { buildLargerCnn, train, type TrainHistory } from 'ct-hemorrhage';
import { loadPredictor, type Predictor } from 'ct-hemorrhage/node';
const model = buildLargerCnn({ inputSize: 64 });
export const run = async (): Promise<[TrainHistory, Predictor]> => [await train(model, []), await loadPredictor('m')];
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true }, files: ['types.ts'] }),
  );
  check("import { buildLargerCnn, train } from 'ct-hemorrhage'", () => sh('node', ['esm.mjs'], app));
  check("require('ct-hemorrhage')", () => sh('node', ['cjs.cjs'], app));
  check('type declarations resolve (tsc, NodeNext)', () => sh('npx', ['tsc', '-p', '.'], app));
  check('bin ct-hemorrhage runs', () => sh('npx', ['ct-hemorrhage', '--version'], app));
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failed) {
  console.log('package check failed');
  process.exit(1);
}
console.log('package check passed');
