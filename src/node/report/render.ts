import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { CtHemorrhageError } from '../../errors/index.js';
import type { VegaLiteSpec } from '../../report/index.js';

/** Options of {@link renderPlot}. */
export interface RenderPlotOptions {
  /** `'png'` (default) or `'svg'`. */
  readonly format?: 'png' | 'svg';
  /** Pixels per SVG unit of a PNG. Default `2` (sharp on high-density screens and in print). */
  readonly scale?: number;
}

/** Defaults of {@link RenderPlotOptions}. */
export const RENDER_PLOT_DEFAULTS = Object.freeze({ format: 'png' as const, scale: 2 });

/** The font the PNGs are drawn with (resvg-wasm sees no system fonts), from `dejavu-fonts-ttf`. */
const FONT_FILES = ['dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'];
const FONT_FAMILY = 'DejaVu Sans';

/** The optional peer packages plots need, as one install command. */
export const PLOT_PACKAGES = 'vega@6.2.0 vega-lite@6.4.3 @resvg/resvg-wasm@2.6.2 dejavu-fonts-ttf@2.37.3';

/** True when `error`, or an error it wraps (loaders and test runners wrap), is "module not found". */
function isModuleNotFound(error: unknown): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
  }
  return false;
}

/** Runs `load`; a missing package becomes a `MISSING_DEPENDENCY` error that says what to install. */
async function optional<T>(what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    if (!isModuleNotFound(cause)) throw cause;
    throw new CtHemorrhageError(
      'MISSING_DEPENDENCY',
      `Plots need ${what}, an optional peer dependency of ct-hemorrhage that is not installed. ` +
        `Run: npm install ${PLOT_PACKAGES}`,
      { expected: PLOT_PACKAGES },
      { cause },
    );
  }
}

type Resvg = typeof import('@resvg/resvg-wasm');
let resvgReady: Promise<{ resvg: Resvg; fonts: Uint8Array[] }> | undefined;

/** Loads resvg's WebAssembly and the fonts once per process. */
function loadResvg(): Promise<{ resvg: Resvg; fonts: Uint8Array[] }> {
  resvgReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const resvg = await optional('@resvg/resvg-wasm', () => import('@resvg/resvg-wasm'));
    await resvg.initWasm(await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    const fonts = await optional('dejavu-fonts-ttf', () =>
      Promise.all(FONT_FILES.map(async (f) => new Uint8Array(await readFile(require.resolve(f))))),
    );
    return { resvg, fonts };
  })().catch((error: unknown) => {
    resvgReady = undefined;
    throw error;
  });
  return resvgReady;
}

/** Compiles a Vega-Lite spec and renders it to SVG markup with headless Vega. */
async function toSvg(spec: VegaLiteSpec): Promise<string> {
  const [vl, vega] = await optional('vega and vega-lite', () => Promise.all([import('vega-lite'), import('vega')]));
  let compiled;
  try {
    compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  } catch (cause) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `The plot spec is not valid Vega-Lite: ${cause instanceof Error ? cause.message : String(cause)}. Build specs with the report functions (rocSpec, ...).`,
      { option: 'spec' },
      { cause },
    );
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renders a Vega-Lite spec (from {@link rocSpec} and the other report builders) to PNG or SVG
 * bytes in Node, without a browser or native modules: Vega-Lite compiles it, headless Vega
 * draws SVG, and resvg (WebAssembly) rasterises it with the DejaVu Sans font. The libraries load
 * on the first call only.
 *
 * @example
 * ```ts
 * const png = await renderPlot(rocSpec(result.labels, result.scores));
 * await writeFile('roc.png', png); // about 720 x 760 pixels at the default scale 2
 * ```
 */
export async function renderPlot(spec: VegaLiteSpec, options: RenderPlotOptions = {}): Promise<Uint8Array> {
  const format = options.format ?? RENDER_PLOT_DEFAULTS.format;
  const scale = options.scale ?? RENDER_PLOT_DEFAULTS.scale;
  if (format !== 'png' && format !== 'svg') {
    throw new CtHemorrhageError('BAD_INPUT', `renderPlot writes png or svg; got format "${String(format)}".`, {
      option: 'format',
      expected: ['png', 'svg'],
      received: format,
    });
  }
  if (!(typeof scale === 'number' && scale > 0 && scale <= 8)) {
    throw new CtHemorrhageError('BAD_INPUT', `renderPlot's scale must be a number in (0, 8]; got ${String(scale)}.`, {
      option: 'scale',
      expected: '(0, 8]',
      received: scale,
    });
  }
  const svg = await toSvg(spec);
  if (format === 'svg') return new TextEncoder().encode(svg);
  const { resvg, fonts } = await loadResvg();
  const renderer = new resvg.Resvg(svg, {
    font: { fontBuffers: fonts, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
  });
  try {
    const image = renderer.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    renderer.free();
  }
}
