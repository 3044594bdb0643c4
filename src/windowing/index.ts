export { applyWindow, DEFAULT_WINDOW_STACK, parseWindowSpec, resolveWindow, windowBounds, windowStack, WINDOW_PRESETS } from './window.js';
export type { CtWindow, WindowPresetName, WindowSpec } from './window.js';
