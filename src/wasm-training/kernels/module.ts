import { TRAINING_KERNELS_WASM, TRAINING_KERNELS_WASM_RELAXED } from './binary.js';

/** The functions assembly/training.ts exports; every pointer is a byte offset into the backend's heap. */
export interface TrainingKernels {
  conv2dFilterGrad(
    x: number, dy: number, out: number,
    n: number, h: number, w: number, ci: number,
    ho: number, wo: number, co: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, padTop: number, padLeft: number,
  ): void;
  conv2dForward(
    x: number, filter: number, bias: number, out: number,
    n: number, h: number, w: number, ci: number,
    ho: number, wo: number, co: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, padTop: number, padLeft: number, relu: number,
  ): void;
  maxPoolGrad(
    x: number, dy: number, out: number,
    n: number, h: number, w: number, c: number, ho: number, wo: number,
    fh: number, fw: number, sh: number, sw: number, padTop: number, padLeft: number,
  ): void;
  conv2dWinograd(
    x: number, filter: number, bias: number, out: number, scratch: number,
    n: number, h: number, w: number, ci: number, ho: number, wo: number, co: number, padTop: number, padLeft: number, relu: number,
  ): void;
  winogradScratchFloats(ci: number, co: number): number;
  conv2dFilterGradWinograd(
    x: number, dy: number, out: number, scratch: number,
    n: number, h: number, w: number, ci: number, ho: number, wo: number, co: number, padTop: number, padLeft: number,
  ): void;
  winogradGradScratchFloats(ci: number, co: number): number;
  convPoolScratchFloats(wo: number, ci: number, co: number, winograd: number): number;
  conv2dReluMaxPool(
    x: number, filter: number, bias: number, out: number, idx: number, scratch: number,
    n: number, h: number, w: number, ci: number, ho: number, wo: number, co: number,
    kh: number, kw: number, sh: number, sw: number, padTop: number, padLeft: number, winograd: number,
  ): void;
  maxPoolReluGrad(dy: number, idx: number, out: number, biasGrad: number, n: number, ho: number, wo: number, co: number): void;
  poolFilterGradScratchFloats(wo: number, co: number): number;
  poolReluFilterGradSingle(
    x: number, dy: number, idx: number, out: number, biasGrad: number, scratch: number,
    n: number, h: number, w: number, ho: number, wo: number, co: number, padTop: number, padLeft: number,
  ): void;
  reluGrad(x: number, dy: number, out: number, size: number): void;
  columnSum(dy: number, out: number, rows: number, cols: number): void;
}

/** The parts of tfjs's wasm backend the kernels use (internal to tfjs-backend-wasm 4.x). */
export interface WasmBackendInternals {
  wasm: { asm?: { memory?: unknown }; _malloc(bytes: number): number; _free(offset: number): void };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): { dataId: object; shape: number[]; dtype: 'float32' | 'int32' };
}

/**
 * Which build of the kernels runs: `relaxed-simd` (fused multiply-add, about 15-20% faster
 * training; on by default in Chrome 114+ and Node 22+, behind `--experimental-wasm-relaxed-simd`
 * in Node 20), `simd`, `auto` (the first of those two the WebAssembly engine accepts), or
 * `none` (no SIMD kernels: every gradient composed from stock tfjs kernels, several times
 * slower; for comparison and debugging).
 */
export type KernelBuild = 'auto' | 'relaxed-simd' | 'simd' | 'none';

let requested: KernelBuild = 'auto';
const compiled = new Map<KernelBuild, WebAssembly.Module | null>();
let instances = new WeakMap<object, TrainingKernels | null>();

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function compileBuild(build: 'relaxed-simd' | 'simd'): WebAssembly.Module | null {
  if (!compiled.has(build)) {
    let module: WebAssembly.Module | null = null;
    try {
      module = new WebAssembly.Module(decode(build === 'simd' ? TRAINING_KERNELS_WASM : TRAINING_KERNELS_WASM_RELAXED));
    } catch {
      module = null; // the engine lacks the feature, or refuses synchronous compilation
    }
    compiled.set(build, module);
  }
  return compiled.get(build) ?? null;
}

function compile(): { build: KernelBuild; module: WebAssembly.Module } | null {
  if (requested === 'none') return null;
  const order: ('relaxed-simd' | 'simd')[] = requested === 'auto' ? ['relaxed-simd', 'simd'] : [requested];
  for (const build of order) {
    const module = compileBuild(build);
    if (module) return { build, module };
  }
  return null;
}

/**
 * Chooses the build of the training kernels from the next kernel call on (tests compare both;
 * `auto` is right for everything else). Returns the build that will run, or null when none can.
 */
export function useKernelBuild(build: KernelBuild): KernelBuild | null {
  requested = build;
  retryKernelBuilds();
  return compile()?.build ?? null;
}

/** Forgets builds the engine refused, so they are tried again (after a change of V8 flags). */
export function retryKernelBuilds(): void {
  for (const [name, module] of compiled) if (module === null) compiled.delete(name);
  instances = new WeakMap();
}

/** The build of the training kernels that runs, or null when none can run here. */
export function activeKernelBuild(): 'relaxed-simd' | 'simd' | null {
  return (compile()?.build as 'relaxed-simd' | 'simd' | undefined) ?? null;
}

/**
 * The training kernels, instantiated on the heap of one wasm backend; null when they cannot
 * run there (no SIMD, a shared-memory threaded build, or a tfjs version that hides its heap),
 * in which case the gradients fall back to compositions of stock kernels.
 */
export function kernelsFor(backend: WasmBackendInternals): TrainingKernels | null {
  const key = backend.wasm;
  let kernels = instances.get(key);
  if (kernels === undefined) {
    const memory = key.asm?.memory;
    const chosen = compile();
    kernels = null;
    if (chosen && memory instanceof WebAssembly.Memory) {
      try {
        kernels = new WebAssembly.Instance(chosen.module, { env: { memory } }).exports as unknown as TrainingKernels;
      } catch {
        kernels = null;
      }
    }
    instances.set(key, kernels);
  }
  return kernels;
}
