export { IMAGE_EXTENSIONS, loadImageFolder } from './folder.js';
export type { ImageFolder, ImageFolderOptions, SkippedFile } from './folder.js';
