import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const external = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-data',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node',
  'jimp',
];

export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    shims: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    external,
    define: { __CT_HEMORRHAGE_VERSION__: JSON.stringify(pkg.version) },
  },
  {
    entry: { cli: 'src/cli.ts', 'train-worker': 'src/node/parallel/worker.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'node',
    external,
    banner: { js: '#!/usr/bin/env node' },
    define: { __CT_HEMORRHAGE_VERSION__: JSON.stringify(pkg.version) },
  },
]);
