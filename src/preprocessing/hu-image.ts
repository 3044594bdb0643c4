import type { CtWindow } from '../windowing/index.js';
import type { RawImage } from './image.js';

/**
 * A CT slice in Hounsfield units (HU), row-major, one value per pixel: what the DICOM reader,
 * the HU PNG reader and the phantom generator return. Padding (outside the scan) is stored
 * as air, -1000 HU.
 */
export interface HuImage {
  /** HU values, `width * height` of them. */
  readonly hu: Float32Array | Int16Array;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The slice's own display window (a DICOM file's first WindowCenter/WindowWidth), used by the window `'file'`. */
  readonly window?: CtWindow;
}

/** Any image the library takes: display pixels ({@link RawImage}) or Hounsfield units ({@link HuImage}). */
export type SliceImage = RawImage | HuImage;

/**
 * True when `image` holds Hounsfield units.
 *
 * @example
 * ```ts
 * isHuImage({ hu: new Float32Array(4), width: 2, height: 2 });   // true
 * isHuImage({ data: new Uint8Array(4), width: 2, height: 2 });   // false
 * ```
 */
export function isHuImage(image: SliceImage): image is HuImage {
  return (image as HuImage).hu !== undefined;
}
