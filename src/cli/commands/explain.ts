import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decodeSlice } from '../../decode/index.js';
import { CtHemorrhageError } from '../../errors/index.js';
import { encodeOverlayPng, gradCam, heatmapOverlay, overlayBase, type HeatmapColormap } from '../../explain/index.js';
import { getModelInfo } from '../../metadata/index.js';
import { loadModel } from '../../node/io/index.js';
import { numberFlag, requiredFlag, type Command } from '../args.js';
import { BACKEND_OPTION, useBackend } from '../backend.js';
import { consoleOutput } from '../output.js';

/** Adds the file to the details (and message) of a library error about the image's content. */
function aboutFile(error: unknown, file: string): unknown {
  if (!(error instanceof CtHemorrhageError) || error.details.file !== undefined || error.details.option !== undefined) return error;
  const message = error.message.includes(file) ? error.message : `${file}: ${error.message}`;
  return new CtHemorrhageError(error.code, message, { ...error.details, file }, { cause: error });
}

export const explainCommand: Command = {
  name: 'explain',
  usage: 'explain --model <dir> --image <file> --out <png> [--layer <name>] [--class hemorrhage|normal] [options]',
  summary:
    'Writes a Grad-CAM heatmap of one image over the slice as a PNG, and prints the probability and the layer\n' +
    'explained (research use only, not for diagnosis).',
  options: {
    model: { type: 'string', value: 'dir', help: 'Saved model folder (required)' },
    image: { type: 'string', value: 'file', help: 'Image file: PNG, JPEG, BMP, TIFF or DICOM (required)' },
    out: { type: 'string', value: 'png', help: 'PNG file to write (required)' },
    layer: { type: 'string', value: 'name', help: 'Layer to explain (default: the last convolutional layer)' },
    class: { type: 'string', value: 'hemorrhage|normal', help: 'Class to explain (the model\'s own class names work too)', default: 'hemorrhage' },
    'hu-offset': { type: 'string', value: 'n', help: 'Read a 16-bit grey PNG as HU: HU = stored value - n (e.g. 1024)' },
    colormap: { type: 'string', value: 'name', help: 'turbo or inferno', default: 'turbo' },
    alpha: { type: 'string', value: 'a', help: 'Opacity of the heatmap over the slice, 0-1', default: '0.45' },
    json: { type: 'boolean', help: 'Print one JSON object instead of text' },
    backend: BACKEND_OPTION,
  },
  async run(values) {
    const io = consoleOutput();
    const modelDir = requiredFlag(values, 'model', 'explain');
    const image = requiredFlag(values, 'image', 'explain');
    const out = requiredFlag(values, 'out', 'explain');
    const alpha = numberFlag(values, 'alpha', (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
    const colormap = String(values.colormap) as HeatmapColormap;
    if (!['turbo', 'inferno'].includes(colormap)) {
      throw new CtHemorrhageError('BAD_INPUT', `--colormap must be turbo or inferno; got "${colormap}".`, { option: 'colormap', received: colormap });
    }
    const huOffset = values['hu-offset'] === undefined ? undefined : numberFlag(values, 'hu-offset', Number.isFinite, 'a number');
    const layer = typeof values.layer === 'string' ? values.layer : undefined;
    // Gradients on wasm need the library's training kernels, so the backend is chosen for training.
    await useBackend(values.backend, true, io, 1);
    const model = await loadModel(modelDir);
    try {
      const classNames = getModelInfo(model).preprocessing.classNames;
      const wanted = String(values.class);
      const classIndex = wanted === 'hemorrhage' || wanted === classNames[1] ? 1 : wanted === 'normal' || wanted === classNames[0] ? 0 : undefined;
      if (classIndex === undefined) {
        throw new CtHemorrhageError(
          'BAD_INPUT',
          `--class must be hemorrhage or normal${classNames.join() === 'normal,hemorrhage' ? '' : ` (or ${classNames[1]} / ${classNames[0]})`}; got "${wanted}".`,
          { option: 'class', expected: ['hemorrhage', 'normal', ...classNames], received: wanted },
        );
      }
      let bytes: Uint8Array;
      try {
        bytes = await readFile(image);
      } catch (cause) {
        throw new CtHemorrhageError('FILE_NOT_FOUND', `Could not read image file ${image}; check the path.`, { file: image }, { cause });
      }
      let cam: ReturnType<typeof gradCam>;
      let base: Float32Array;
      try {
        const slice = await decodeSlice(bytes, { name: image, ...(huOffset !== undefined ? { huOffset } : {}) });
        cam = gradCam(model, slice, { classIndex, ...(layer !== undefined ? { layer } : {}) });
        base = overlayBase(model, slice);
      } catch (error) {
        throw aboutFile(error, image);
      }
      const png = encodeOverlayPng(heatmapOverlay(base, cam.heatmap, cam.width, cam.height, { alpha, colormap }));
      try {
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, png);
      } catch (cause) {
        throw new CtHemorrhageError(
          'BAD_INPUT',
          `Could not write ${out}: ${cause instanceof Error ? cause.message : String(cause)}. Choose a writable path for --out.`,
          { file: out, option: 'out' },
          { cause },
        );
      }
      const label = classNames[cam.score >= getModelInfo(model).preprocessing.threshold ? 1 : 0];
      const explained = classNames[cam.classIndex];
      io.out(
        values.json
          ? JSON.stringify({ image, probability: cam.score, label, layer: cam.layer, class: explained, out, width: cam.width, height: cam.height })
          : `${image}\tprobability=${cam.score.toFixed(4)}\tlabel=${label}\tlayer=${cam.layer}\tclass=${explained}\tout=${out}`,
      );
      return 0;
    } finally {
      model.dispose();
    }
  },
};
