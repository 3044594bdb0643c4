// The shortcuts check of `npm run accuracy -- --square pad|crop`: every slice becomes one grey
// channel and a square before the library resizes it, so the skull keeps its proportions.
// Hemorrhage images of the Kaggle set are larger and of other aspect ratios than normal ones;
// stretching hides the size but not the aspect ratio (the skull is squeezed differently).
// Padding keeps the whole slice but its black bars still tell the aspect ratio; cropping the
// centre square leaves no trace of it but may cut the edge of the head.
import { isHuImage, toGray, type LabeledImage, type RawImage } from '../../src/index.js';

export type SquareMode = 'pad' | 'crop';

/** `image` as one grey channel, made square: centred on black (`pad`) or its centre square (`crop`). */
export function squareGray(image: RawImage, mode: SquareMode): RawImage {
  const gray = toGray(image);
  const side = mode === 'pad' ? Math.max(image.width, image.height) : Math.min(image.width, image.height);
  // Offset of the square's origin in the image (negative: the image sits inside the square).
  const top = Math.floor((image.height - side) / 2);
  const left = Math.floor((image.width - side) / 2);
  const data = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    const sy = y + top;
    if (sy < 0 || sy >= image.height) continue;
    for (let x = 0; x < side; x++) {
      const sx = x + left;
      if (sx >= 0 && sx < image.width) data[y * side + x] = Math.round(gray[sy * image.width + sx] as number);
    }
  }
  return { data, width: side, height: side, channels: 1 };
}

/** The samples with {@link squareGray} applied (display images only; HU slices are refused). */
export function squareSamples(samples: readonly LabeledImage[], mode: SquareMode): LabeledImage[] {
  return samples.map((s) => {
    if (isHuImage(s.image)) throw new Error(`--square takes display images; ${s.id ?? 'a slice'} is in Hounsfield units.`);
    return { ...s, image: squareGray(s.image, mode) };
  });
}
