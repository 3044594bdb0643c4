export { writePhantomDataset } from './write.js';
export type { PhantomDataset, PhantomDatasetOptions, PhantomFileFormat } from './write.js';
