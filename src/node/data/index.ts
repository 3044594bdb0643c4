export { DICOM_EXTENSIONS, IMAGE_EXTENSIONS } from './files.js';
export { listDataset } from './listing.js';
export type { DatasetEntry, DatasetLayout, DatasetListing, DicomGroupBy, ListDatasetOptions } from './listing.js';
export { formatSkipped, loadImageFolder, readEntry } from './load.js';
export type { ImageFolder, ImageFolderOptions, SkippedFile } from './load.js';
export { createSliceDataset, SLICE_DATASET_DEFAULTS } from './stream.js';
export type { SliceBatch, SliceDataset, SliceDatasetOptions } from './stream.js';
