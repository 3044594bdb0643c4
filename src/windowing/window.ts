import { CtHemorrhageError } from '../errors/index.js';

/** A CT display window in Hounsfield units: values from `level - width/2` to `level + width/2` map to 0..1. */
export interface CtWindow {
  /** Window level (centre) in HU. */
  readonly level: number;
  /** Window width in HU; must be > 0. */
  readonly width: number;
}

/**
 * The standard head CT windows (level/width in HU): brain 40/80, subdural 80/200,
 * soft tissue 40/380, bone 600/2800, stroke 32/8.
 */
export const WINDOW_PRESETS = Object.freeze({
  brain: Object.freeze({ level: 40, width: 80 }),
  subdural: Object.freeze({ level: 80, width: 200 }),
  'soft-tissue': Object.freeze({ level: 40, width: 380 }),
  bone: Object.freeze({ level: 600, width: 2800 }),
  stroke: Object.freeze({ level: 32, width: 8 }),
} as const);

/** Name of a window in {@link WINDOW_PRESETS}. */
export type WindowPresetName = keyof typeof WINDOW_PRESETS;

/**
 * A window as the library accepts it: a preset name, `'file'` (the window stored with the image,
 * e.g. a DICOM file's first WindowCenter/WindowWidth), or explicit level and width.
 */
export type WindowSpec = WindowPresetName | 'file' | CtWindow;

/** The three-window stack most published hemorrhage detectors feed as three channels. */
export const DEFAULT_WINDOW_STACK: readonly WindowSpec[] = Object.freeze(['brain', 'subdural', 'soft-tissue'] as const);

function checkWindow(window: CtWindow, where: string): CtWindow {
  if (!Number.isFinite(window.level) || !(Number.isFinite(window.width) && window.width > 0)) {
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `${where} needs a finite level and a width > 0 in HU; got level ${String(window.level)}, width ${String(window.width)}.`,
      { option: 'windows', expected: '{ level: number, width: number > 0 }', received: window },
    );
  }
  return window;
}

/**
 * Checks a window spec and returns it in canonical form (a preset name, `'file'`, or a frozen
 * `{ level, width }`). Throws `BAD_INPUT` for an unknown name or an invalid window.
 *
 * @example
 * ```ts
 * parseWindowSpec('brain');                 // 'brain'
 * parseWindowSpec('50/100');                // { level: 50, width: 100 }
 * parseWindowSpec({ level: 35, width: 85 }); // { level: 35, width: 85 }
 * ```
 */
export function parseWindowSpec(spec: WindowSpec | string): WindowSpec {
  if (typeof spec === 'string') {
    if (spec === 'file' || Object.hasOwn(WINDOW_PRESETS, spec)) return spec as WindowSpec;
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(spec);
    if (m) return Object.freeze(checkWindow({ level: Number(m[1]), width: Number(m[2]) }, `Window "${spec}"`));
    throw new CtHemorrhageError(
      'BAD_INPUT',
      `Unknown window "${spec}". Use one of ${Object.keys(WINDOW_PRESETS).join(', ')}, file, or level/width in HU such as 40/80.`,
      { option: 'windows', expected: [...Object.keys(WINDOW_PRESETS), 'file', 'level/width'], received: spec },
    );
  }
  if (spec === null || typeof spec !== 'object') {
    throw new CtHemorrhageError('BAD_INPUT', `A window must be a preset name, 'file' or { level, width }; got ${String(spec)}.`, {
      option: 'windows',
      received: spec,
    });
  }
  return Object.freeze(checkWindow({ level: spec.level, width: spec.width }, 'A window'));
}

/**
 * Resolves a window spec to level and width; `'file'` takes `fileWindow` (the image's own
 * window) and throws `BAD_INPUT` when the image has none.
 *
 * @example
 * ```ts
 * resolveWindow('subdural');                          // { level: 80, width: 200 }
 * resolveWindow('file', { level: 35, width: 100 });   // { level: 35, width: 100 }
 * ```
 */
export function resolveWindow(spec: WindowSpec, fileWindow?: CtWindow, name = 'the image'): CtWindow {
  if (spec === 'file') {
    if (!fileWindow) {
      throw new CtHemorrhageError(
        'BAD_INPUT',
        `The window 'file' needs the image's own window, but ${name} carries none. ` +
          'Use a preset (brain, subdural, soft-tissue, bone, stroke) or level/width instead.',
        { option: 'windows', file: name },
      );
    }
    return checkWindow(fileWindow, `The window of ${name}`);
  }
  if (typeof spec === 'string') return WINDOW_PRESETS[spec] ?? (parseWindowSpec(spec) as CtWindow);
  return checkWindow(spec, 'A window');
}

/** Lower and upper HU bounds of a window. */
export function windowBounds(window: CtWindow): [number, number] {
  return [window.level - window.width / 2, window.level + window.width / 2];
}

/**
 * Maps HU values through one window to 0..1: `clamp((hu - (level - width/2)) / width, 0, 1)`
 * (linear, as DICOM's VOI LUT function LINEAR_EXACT).
 *
 * @example
 * ```ts
 * applyWindow(Float32Array.of(-1000, 0, 40, 80, 1000), WINDOW_PRESETS.brain);
 * // Float32Array [0, 0, 0.5, 1, 1]
 * ```
 */
export function applyWindow(hu: ArrayLike<number>, window: CtWindow): Float32Array {
  const [low] = windowBounds(checkWindow(window, 'A window'));
  const out = new Float32Array(hu.length);
  const inv = 1 / window.width;
  for (let i = 0; i < hu.length; i++) {
    const v = ((hu[i] as number) - low) * inv;
    out[i] = v <= 0 ? 0 : v >= 1 ? 1 : v;
  }
  return out;
}

/**
 * Maps HU values through several windows into interleaved channels (`[pixel][window]`, the
 * layout of an `[h, w, c]` tensor): the usual three-window input of hemorrhage detectors.
 *
 * @example
 * ```ts
 * windowStack(Float32Array.of(60), ['brain', 'subdural', 'soft-tissue']);
 * // Float32Array [0.75, 0.4, 0.5526...]
 * ```
 */
export function windowStack(hu: ArrayLike<number>, windows: readonly WindowSpec[], fileWindow?: CtWindow): Float32Array {
  if (windows.length === 0) {
    throw new CtHemorrhageError('BAD_INPUT', 'A window stack needs at least one window.', { option: 'windows', received: windows });
  }
  const resolved = windows.map((w) => resolveWindow(w, fileWindow));
  const c = resolved.length;
  const out = new Float32Array(hu.length * c);
  resolved.forEach((w, k) => {
    const one = applyWindow(hu, w);
    for (let i = 0; i < one.length; i++) out[i * c + k] = one[i] as number;
  });
  return out;
}
