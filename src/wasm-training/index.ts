export { disableWasmTraining, enableWasmTraining, isWasmTrainingEnabled } from './enable.js';
export { activeKernelBuild, useKernelBuild, type KernelBuild } from './kernels/module.js';
