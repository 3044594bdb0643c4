import { createPredictor } from '../../node/predictor/index.js';
import { loadModel } from '../../node/io/index.js';
import { requiredFlag, THRESHOLD_OPTION, thresholdFlag, type Command } from '../args.js';
import { BACKEND_OPTION, useBackend } from '../backend.js';
import { consoleOutput } from '../output.js';
import { CtHemorrhageError } from '../../errors/index.js';

export const predictCommand: Command = {
  name: 'predict',
  usage: 'predict --model <dir> --image <file> [--image <file> ...] [options]',
  summary: 'Prints the hemorrhage probability and label of each image (research use only, not for diagnosis).',
  options: {
    model: { type: 'string', value: 'dir', help: 'Saved model folder (required)' },
    image: { type: 'string', multiple: true, value: 'file', help: 'Image file (PNG, JPEG, BMP, TIFF); repeat for more' },
    threshold: THRESHOLD_OPTION,
    json: { type: 'boolean', help: 'Print one JSON object per line' },
    backend: BACKEND_OPTION,
  },
  async run(values) {
    const io = consoleOutput();
    const modelDir = requiredFlag(values, 'model', 'predict');
    const images = (values.image as string[] | undefined) ?? [];
    if (images.length === 0) {
      throw new CtHemorrhageError('BAD_INPUT', '--image is required (repeat it for several images). Run "ct-hemorrhage predict --help".', {
        option: 'image',
      });
    }
    const threshold = thresholdFlag(values);
    await useBackend(values.backend, false, io);
    const predictor = createPredictor(await loadModel(modelDir), {
      ownsModel: true,
      ...threshold,
    });
    let failures = 0;
    try {
      for (const image of images) {
        try {
          const p = await predictor.predict(image);
          io.out(
            values.json
              ? JSON.stringify({ image, ...p })
              : `${image}\tprobability=${p.probability.toFixed(4)}\tlabel=${p.label}\tthreshold=${p.threshold}`,
          );
        } catch (error) {
          if (!(error instanceof CtHemorrhageError)) throw error;
          failures++;
          io.err(`${image}: ${error.message}`);
        }
      }
    } finally {
      predictor.dispose();
    }
    return failures === 0 ? 0 : 1;
  },
};
