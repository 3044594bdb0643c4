// The shortcuts check of `npm run accuracy -- --pad-square`: every slice becomes one grey
// channel, centred on a black square as wide as its longer side, before the library resizes it.
// Hemorrhage images of the Kaggle set are larger and of other aspect ratios than normal ones;
// stretching already hides the size, padding also hides the aspect ratio and colour.
import { isHuImage, toGray, type LabeledImage, type RawImage } from '../../src/index.js';

/** `image` as one grey channel centred on a black square. */
export function padSquareGray(image: RawImage): RawImage {
  const gray = toGray(image);
  const side = Math.max(image.width, image.height);
  const top = Math.floor((side - image.height) / 2);
  const left = Math.floor((side - image.width) / 2);
  const data = new Uint8Array(side * side);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      data[(top + y) * side + left + x] = Math.round(gray[y * image.width + x] as number);
    }
  }
  return { data, width: side, height: side, channels: 1 };
}

/** The samples with {@link padSquareGray} applied (display images only; HU slices are refused). */
export function padSamples(samples: readonly LabeledImage[]): LabeledImage[] {
  return samples.map((s) => {
    if (isHuImage(s.image)) throw new Error(`--pad-square takes display images; ${s.id ?? 'a slice'} is in Hounsfield units.`);
    return { ...s, image: padSquareGray(s.image) };
  });
}
