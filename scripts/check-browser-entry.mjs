#!/usr/bin/env node
// Fails when the browser-safe core entry (`ct-hemorrhage`, dist/index.js) reaches a Node built-in.
//
// 1. Every import, dynamic import and require() in dist/index.js and the chunks it loads must
//    name no Node built-in (`fs`, `node:fs`, `path`, `worker_threads`, ...), nor use Node-only
//    globals (`__dirname`, `__filename`, `process.argv`, `require.resolve`).
// 2. The entry, with its dependencies, must bundle for `platform: 'browser'` with esbuild and no
//    polyfills: a dependency that needs a built-in (and does not map it away with its own
//    `browser` field) fails the bundle.
//
// Usage: node scripts/check-browser-entry.mjs [entry]   (default: the package's "." import entry)
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const entry = resolve(root, process.argv[2] ?? pkg.exports['.'].import.default);
const show = (p) => relative(root, p) || p;
if (!existsSync(entry)) {
  console.error(`check-browser-entry: ${show(entry)} does not exist; run \`npm run build\` first.`);
  process.exit(1);
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isBuiltin = (spec) => spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0]);

const problems = [];

// 1. The entry's own files: resolve only relative imports, keep every package external.
const own = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  write: false,
  metafile: true,
  format: 'esm',
  platform: 'neutral',
  logLevel: 'silent',
  plugins: [
    {
      name: 'externalize-packages',
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});
const files = Object.keys(own.metafile.inputs);
for (const [file, input] of Object.entries(own.metafile.inputs)) {
  for (const imp of input.imports) {
    if (isBuiltin(imp.path)) problems.push(`${file}: ${imp.kind} of Node built-in "${imp.path}"`);
  }
  const text = readFileSync(resolve(root, file), 'utf8');
  for (const pattern of [/\b__dirname\b/, /\b__filename\b/, /\bprocess\.argv\b/, /\brequire\.resolve\b/, /\bcreateRequire\b/]) {
    const match = text.match(pattern);
    if (match) problems.push(`${file}: uses the Node-only "${match[0]}"`);
  }
}

// 2. The whole graph, dependencies included, for a browser.
let bundleBytes = 0;
try {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2022',
    logLevel: 'silent',
    // Optional peers, loaded on demand by the report plots only; the app decides whether to ship them.
    external: ['vega', 'vega-lite', '@resvg/resvg-wasm', 'dejavu-fonts-ttf'],
  });
  bundleBytes = result.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0);
} catch (error) {
  for (const e of error.errors ?? [error]) {
    const where = e.location ? `${e.location.file}:${e.location.line}: ` : '';
    problems.push(`browser bundle: ${where}${e.text ?? e.message}`);
  }
}

if (problems.length > 0) {
  console.error(`check-browser-entry: ${show(entry)} is not browser-safe:`);
  for (const p of problems) console.error(`  - ${p}`);
  console.error('Move Node-only code behind the ct-hemorrhage/node entry (src/node.ts).');
  process.exit(1);
}
console.log(
  `check-browser-entry: ok: ${show(entry)} and its ${files.length - 1} chunk(s) import no Node built-in; ` +
    `the browser bundle (dependencies included) builds without polyfills (${(bundleBytes / 1e6).toFixed(1)} MB).`,
);
