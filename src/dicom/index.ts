export { isDicom, readDicom, readDicomIds } from './read.js';
export type { DicomIds, DicomMeta, DicomSlice, ReadDicomOptions } from './read.js';
export { writeDicom } from './write.js';
export type { DicomWriteOptions } from './write.js';
export { dicomUid } from './uid.js';
