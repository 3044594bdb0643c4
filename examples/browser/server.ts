/**
 * Builds the demo page with Vite and serves it, with saved model folders, on localhost.
 *
 *   npm run example:browser                         # trains a small demo model if needed
 *   npm run example:browser -- --model runs/default --port 5173
 *
 * The end-to-end test (test/e2e) and the screenshot script reuse `buildPage` and `servePage`.
 */
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The repository root. */
export const REPO_ROOT = resolve(here, '..', '..');
/** Where `buildPage` writes the page. */
export const PAGE_DIR = join(here, 'dist');

/** Builds the page into {@link PAGE_DIR} (needs the library built: `npm run build`). */
export async function buildPage(options: { quiet?: boolean } = {}): Promise<string> {
  if (!existsSync(join(REPO_ROOT, 'dist', 'index.js'))) {
    throw new Error('dist/index.js is missing: run `npm run build` first; the page bundles the built library.');
  }
  const { build } = await import('vite');
  await build({ configFile: join(here, 'vite.config.ts'), logLevel: options.quiet ? 'warn' : 'info' });
  return PAGE_DIR;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** A running server: its base URL (ending in `/`) and how to stop it. */
export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `pageDir` at `/` and each model folder at `/models/<name>/` (so its model.json is at
 * `/models/<name>/model.json`), on 127.0.0.1. Port 0 picks a free one.
 */
export async function servePage(options: {
  pageDir?: string;
  models?: Readonly<Record<string, string>>;
  port?: number;
}): Promise<PageServer> {
  const pageDir = resolve(options.pageDir ?? PAGE_DIR);
  const mounts: [string, string][] = [
    ...Object.entries(options.models ?? {}).map(([name, dir]): [string, string] => [`/models/${name}/`, resolve(dir)]),
    ['/', pageDir],
  ];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      const mount = mounts.find(([prefix]) => path.startsWith(prefix));
      let file: string | undefined;
      if (mount) {
        const [prefix, dir] = mount;
        const target = resolve(dir, `.${sep}${path.slice(prefix.length)}`);
        const inside = !relative(dir, target).startsWith('..');
        if (inside) file = (await stat(target).catch(() => undefined))?.isDirectory() ? join(target, 'index.html') : target;
      }
      const info = file ? await stat(file).catch(() => undefined) : undefined;
      if (!file || !info?.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found: ${path}\n`);
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-store',
      });
      createReadStream(file).pipe(res);
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Trains a small demo model on generated phantoms with the built CLI (about a minute). */
async function trainDemoModel(out: string): Promise<void> {
  const { spawnSync } = await import('node:child_process');
  const args = ['dist/cli.js', 'train', '--out', out, '--size', '64', '--phantoms', '240', '--epochs', '20'];
  args.push('--batch-size', '8', '--patience', '0');
  console.log(`No model given: training a small demo model on phantoms into ${out} (node ${args.join(' ')})`);
  const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`Training the demo model failed (exit code ${result.status}).`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  let model = flag('--model');
  if (model === undefined) {
    model = join(REPO_ROOT, 'runs', 'browser-demo');
    if (!existsSync(join(model, 'model.json'))) await trainDemoModel(model);
  } else if (!existsSync(join(model, 'model.json'))) {
    throw new Error(`${model} holds no model.json: give a folder saved by \`ct-hemorrhage train --out\` or saveModel.`);
  }
  await buildPage();
  const server = await servePage({ models: { demo: model }, port: Number(flag('--port') ?? 5173) });
  console.log(`\nDemo page: ${server.url}?model=models/demo/model.json  (model folder: ${model})`);
  console.log('Drop a PNG, JPEG or DICOM slice on it, e.g. one of ../shared/data/head_ct. Ctrl+C stops the server.');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
