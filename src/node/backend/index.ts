export { selectBackend } from './select.js';
export type { BackendChoice, NodeBackendName, SelectBackendOptions } from './select.js';
