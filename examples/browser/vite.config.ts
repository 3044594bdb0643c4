import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The demo page, bundled by Vite. `ct-hemorrhage` resolves to the repository's built core entry
 * (`dist/index.js`, what `npm publish` ships), so building this page proves the published entry
 * bundles for browsers as it is: no Node built-ins, no polyfills, no special configuration.
 * Run `npm run build` first. The tfjs wasm binaries are imported with `?url` (see src/backends.ts)
 * and emitted as assets: the page works offline.
 */
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  publicDir: false,
  clearScreen: false,
  resolve: {
    alias: [{ find: /^ct-hemorrhage$/, replacement: here('../../dist/index.js') }],
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // tfjs (core, layers, three backends) is large by nature; the page loads once.
    chunkSizeWarningLimit: 5000,
    reportCompressedSize: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // jimp's prebuilt browser bundle calls eval (its own business, not the page's).
        if (warning.code === 'EVAL' && warning.id?.includes('/jimp/')) return;
        warn(warning);
      },
    },
  },
  server: { fs: { allow: [here('../..')] } },
});
