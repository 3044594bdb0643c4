import { evaluate } from '../../evaluator/index.js';
import { getModelInfo } from '../../metadata/index.js';
import { loadImageFolder } from '../../node/data/index.js';
import { loadModel } from '../../node/io/index.js';
import { requiredFlag, THRESHOLD_OPTION, thresholdFlag, type Command } from '../args.js';
import { BACKEND_OPTION, useBackend } from '../backend.js';
import { formatMetrics } from '../format.js';
import { consoleOutput } from '../output.js';

export const evaluateCommand: Command = {
  name: 'evaluate',
  usage: 'evaluate --model <dir> --data <dir> [options]',
  summary:
    'Evaluates a saved model on a labelled image folder with the preprocessing saved in the model,\n' +
    'and prints accuracy, ROC AUC, sensitivity, specificity, loss and the confusion matrix.',
  options: {
    model: { type: 'string', value: 'dir', help: 'Saved model folder (required)' },
    data: { type: 'string', value: 'dir', help: 'Image folder: labels.csv or one sub-folder per class (required)' },
    threshold: THRESHOLD_OPTION,
    json: { type: 'boolean', help: 'Print the metrics as JSON' },
    backend: BACKEND_OPTION,
  },
  async run(values) {
    const io = consoleOutput();
    const modelDir = requiredFlag(values, 'model', 'evaluate');
    const dataDir = requiredFlag(values, 'data', 'evaluate');
    const threshold = thresholdFlag(values);
    await useBackend(values.backend, false, io);
    const model = await loadModel(modelDir);
    try {
      const info = getModelInfo(model);
      const folder = await loadImageFolder(dataDir, {
        classNames: info.preprocessing.classNames as [string, string],
        onProgress: (done, total) => io.status(`decoding images ${done}/${total}`),
      });
      for (const s of folder.skipped) io.err(`skipped ${s.file}: ${s.error.message}`);
      const result = await evaluate(model, folder.samples, threshold);
      if (values.json) {
        const { scores, labels, ids, ...metrics } = result;
        io.out(JSON.stringify({ ...metrics, skipped: folder.skipped.map((s) => s.file) }, null, 2));
      } else {
        io.out(`${info.architecture} on ${dataDir} (${result.count} images, all of them; split is up to you):`);
        io.out(formatMetrics(result, info.preprocessing.classNames));
      }
      return 0;
    } finally {
      model.dispose();
    }
  },
};
