import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/**
 * End-to-end tests (`npm run test:e2e`): the demo page in headless Chromium. They import the
 * library by its package names, resolved here to the built entries (`dist/`), so Node and the
 * page run the same built code.
 */
export default defineConfig({
  define: { __CT_HEMORRHAGE_VERSION__: JSON.stringify(pkg.version) },
  resolve: {
    alias: [
      { find: /^ct-hemorrhage$/, replacement: fileURLToPath(new URL('./dist/index.js', import.meta.url)) },
      { find: /^ct-hemorrhage\/node$/, replacement: fileURLToPath(new URL('./dist/node.js', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
