/**
 * Drives the demo page (examples/browser) in Debian's Chromium, headless, with playwright-core.
 * Shared by the end-to-end test and the screenshot script (scripts/browser-screenshot.ts).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); `CHROMIUM_PATH` overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless, no GPU (WebGL runs on SwiftShader), and nothing that reaches the network on its own:
 * without the background-networking flags Chromium keeps trying Google's hosts.
 */
export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
]);

/** True when the Chromium binary is there. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** A Chromium with a fresh profile; `close` removes the profile. */
export interface Chromium {
  readonly context: BrowserContext;
  readonly version: string;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh `--user-data-dir` (playwright's persistent context takes it as its first argument). */
export async function launchChromium(
  options: { viewport?: { width: number; height: number }; extraArgs?: readonly string[] } = {},
): Promise<Chromium> {
  if (!hasChromium()) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's with \`apt-get install chromium\` (or set CHROMIUM_PATH).`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'cth-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS, ...(options.extraArgs ?? [])],
      viewport: options.viewport ?? { width: 1200, height: 820 },
      timeout: 60_000,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const version = context.browser()?.version() ?? 'unknown';
  return {
    context,
    version,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** What the page shows after an analysis. */
export interface PageResult {
  readonly state: string;
  readonly probability: number;
  readonly label: string;
  readonly backend: string;
  readonly camScore: number;
  readonly error: string | undefined;
  readonly overlay: { width: number; height: number };
}

/** Waits until the page has finished every queued operation (backend switch, model load, prediction). */
export async function idle(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { ctDemo: { idle: () => Promise<void> } }).ctDemo.idle());
}

/** Reads the result panel. */
export async function readResult(page: Page): Promise<PageResult> {
  return page.evaluate(() => {
    const result = document.getElementById('result') as HTMLElement;
    const error = document.getElementById('error') as HTMLElement;
    const canvas = document.getElementById('overlay') as HTMLCanvasElement;
    return {
      state: result.dataset.state ?? '',
      probability: Number(result.dataset.probability),
      label: result.dataset.label ?? '',
      backend: result.dataset.backend ?? '',
      camScore: Number(result.dataset.camScore),
      error: error.hidden ? undefined : (error.textContent ?? ''),
      overlay: { width: canvas.width, height: canvas.height },
    };
  });
}

/** Opens the page with a backend and a model URL (relative to the page) and waits until both are ready. */
export async function openDemo(context: BrowserContext, url: string, options: { backend: string; model: string }): Promise<Page> {
  const page = await context.newPage();
  const query = new URLSearchParams({ backend: options.backend, model: options.model });
  await page.goto(`${url}?${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await idle(page);
  return page;
}

/** Marks the result as pending, runs `action`, waits for the page to finish, returns the result. */
async function afterAction(page: Page, action: () => Promise<void>): Promise<PageResult> {
  await page.evaluate(() => {
    (document.getElementById('result') as HTMLElement).dataset.state = 'pending';
  });
  await action();
  await page.waitForFunction(() => (document.getElementById('result') as HTMLElement).dataset.state !== 'pending', undefined, {
    timeout: 60_000,
  });
  await idle(page);
  return readResult(page);
}

/** Chooses `file` in the page's file input, as a user would, and returns what the page shows. */
export function analyseFile(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<PageResult> {
  return afterAction(page, () => page.setInputFiles('#image-input', file));
}

/** Drops a file (its bytes in base64) on the page's drop zone, as a drag from the desktop would. */
export function afterDrop(page: Page, name: string, base64: string): Promise<PageResult> {
  return afterAction(page, () =>
    page.evaluate(
      ([fileName, data]) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], fileName, { type: 'image/png' }));
        const zone = document.getElementById('drop-zone') as HTMLElement;
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      [name, base64] as const,
    ),
  );
}

/** Picks a backend in the page's selector; with a slice shown, the page analyses it again there. */
export async function chooseBackend(page: Page, backend: string): Promise<{ active: string; result: PageResult }> {
  await page.selectOption('#backend', backend);
  await idle(page);
  const active = (await page.textContent('#backend-active')) ?? '';
  return { active, result: await readResult(page) };
}
