export { isDicom, readDicom } from './read.js';
export type { DicomMeta, DicomSlice, ReadDicomOptions } from './read.js';
export { writeDicom } from './write.js';
export type { DicomWriteOptions } from './write.js';
export { dicomUid } from './uid.js';
