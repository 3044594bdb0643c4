import { evaluate } from '../../evaluator/index.js';
import { getModelInfo } from '../../metadata/index.js';
import { loadModel } from '../../node/io/index.js';
import { readTrainHistory, writeReport } from '../../node/report/index.js';
import { requiredFlag, THRESHOLD_OPTION, thresholdFlag, type Command } from '../args.js';
import { BACKEND_OPTION, useBackend } from '../backend.js';
import { DATA_OPTIONS, loadCliData } from '../data.js';
import { formatMetrics } from '../format.js';
import { consoleOutput } from '../output.js';

export const evaluateCommand: Command = {
  name: 'evaluate',
  usage: 'evaluate --model <dir> --data <dir|csv> [options]',
  summary:
    'Evaluates a saved model on a labelled dataset with the preprocessing saved in the model, and prints\n' +
    'accuracy, ROC AUC, sensitivity, specificity, PPV, NPV (with 95% intervals), PR AUC, F1, balanced\n' +
    'accuracy, Brier score, calibration error and the confusion matrix; --report writes plots and report.md.',
  options: {
    model: { type: 'string', value: 'dir', help: 'Saved model folder (required)' },
    ...DATA_OPTIONS,
    threshold: THRESHOLD_OPTION,
    json: { type: 'boolean', help: 'Print the metrics as JSON' },
    report: { type: 'string', value: 'dir', help: 'Also write report.md, report.json and PNG plots to this folder' },
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
      const skipped: string[] = [];
      const samples = await loadCliData(values, dataDir, io, info.preprocessing.classNames, (s) => skipped.push(s.file));
      const result = await evaluate(model, samples, threshold);
      if (values.json) {
        const { scores, labels, ids, ...metrics } = result;
        io.out(JSON.stringify({ ...metrics, skipped }, null, 2));
      } else {
        io.out(`${info.architecture} on ${dataDir} (${result.count} images, all of them; split is up to you):`);
        io.out(formatMetrics(result, info.preprocessing.classNames));
      }
      if (typeof values.report === 'string') {
        const history = await readTrainHistory(modelDir);
        const [neg, pos] = info.preprocessing.classNames;
        const positives = samples.filter((s) => s.label === 1).length;
        const { files } = await writeReport(values.report, {
          evaluation: result,
          modelInfo: info,
          parameterCount: model.countParams(),
          ...(history ? { history } : {}),
          dataset:
            `${samples.length} labelled images from ${dataDir} (${positives} ${pos}, ${samples.length - positives} ${neg}` +
            `${skipped.length > 0 ? `; ${skipped.length} unreadable files skipped` : ''}). Model: ${modelDir}.`,
          split: 'None: every image of the data was evaluated. Whether the model saw any of them (or other slices of the same patients) in training is up to you; only unseen patients give honest numbers.',
        });
        io.err(`report: wrote ${files.length} files to ${values.report}`);
      }
      return 0;
    } finally {
      model.dispose();
    }
  },
};
