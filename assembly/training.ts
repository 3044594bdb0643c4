// WebAssembly SIMD kernels for training on the tfjs wasm backend. Compiled by AssemblyScript
// into src/wasm-training/kernels/binary.ts (npm run build:kernels); they run on the wasm
// backend's own memory: every argument named *Ptr is a byte offset into it.
export { conv2dFilterGrad, conv2dForward } from './direct';
export { conv2dWinograd, winogradScratchFloats } from './winograd';
export { conv2dFilterGradWinograd, winogradGradScratchFloats } from './winograd-grad';
export { conv2dReluMaxPool, convPoolScratchFloats, maxPoolGrad, maxPoolReluGrad, poolFilterGradScratchFloats, poolReluFilterGradSingle } from './pool';
export { columnSum, reluGrad } from './elementwise';
