import * as vega from 'vega';
import * as vl from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { CrossValidation } from '../crossval/index.js';
import { binaryMetrics, delongInterval } from '../metrics/index.js';
import { createRng } from '../random/index.js';
import {
  calibrationSpec,
  confusionMatrixSpec,
  DISCLAIMER,
  foldRocSpec,
  metricEntries,
  modelCardMarkdown,
  precisionRecallSpec,
  reportMarkdown,
  reportPlots,
  reportSummary,
  rocSpec,
  trainingCurvesSpec,
  type VegaLiteSpec,
} from './index.js';
import { DEFAULT_PREPROCESSING } from '../preprocessing/index.js';

const rng = createRng(4);
const labels = Array.from({ length: 60 }, (_, i) => i % 2);
const scores = labels.map((l) => Math.min(1, Math.max(0, (l ? 0.65 : 0.35) + (rng() - 0.5) * 0.8)));
const fold = Int32Array.from(labels, (_, i) => i % 3);
const history = (shift: number, withVal = true) => ({
  epoch: [0, 1, 2, 3],
  history: {
    loss: [0.7, 0.6, 0.5, 0.45].map((v) => v + shift),
    ...(withVal ? { val_loss: [0.71, 0.66, 0.62, 0.64], val_auc: [0.55, 0.7, 0.75, Number.NaN], val_acc: [0.5, 0.6, 0.7, 0.68] } : {}),
  },
  bestEpoch: 2,
  stoppedEarly: false,
  restoredBestWeights: false,
    averagedEpochs: 0,
  monitor: 'val_loss' as const,
  trainCount: 30,
  validationCount: 10,
});

function crossValidation(): CrossValidation {
  const folds = [0, 1, 2].map((f) => {
    const idx = labels.map((_, i) => i).filter((i) => fold[i] === f);
    return {
      fold: f,
      trainCount: 40,
      testCount: 20,
      metrics: binaryMetrics(idx.map((i) => labels[i] as number), idx.map((i) => scores[i] as number), 0.5),
      history: history(0.01 * f),
    };
  });
  return {
    foldCount: 3,
    seed: 42,
    folds,
    pooled: binaryMetrics(labels, scores, 0.5),
    meanAuc: 0.8,
    sdAuc: 0.05,
    scores: Float32Array.from(scores),
    labels: Float32Array.from(labels),
    ids: labels.map((_, i) => `s${i}`),
    fold,
    groups: labels.map((_, i) => `g${Math.floor(i / 2)}`),
  };
}

/** Compiles with Vega-Lite (any warning fails), parses and runs the Vega spec headless. */
async function expectValid(spec: VegaLiteSpec): Promise<void> {
  const warnings: unknown[] = [];
  const logger = {
    level: () => 0,
    error(...a: unknown[]) {
      warnings.push(a);
      return this;
    },
    warn(...a: unknown[]) {
      warnings.push(a);
      return this;
    },
    info() {
      return this;
    },
    debug() {
      return this;
    },
  };
  // JSON-safe: no NaN, Infinity or undefined hiding in the data.
  const text = JSON.stringify(spec);
  expect(text).not.toMatch(/NaN|Infinity/);
  expect(JSON.parse(text)).toEqual(spec);
  const compiled = vl.compile(JSON.parse(text), { logger: logger as never }).spec;
  expect(warnings).toEqual([]);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  expect(svg).toMatch(/^<svg/);
}

describe('plot specs', () => {
  it('ROC: curve, diagonal, operating point and bootstrap band; DeLong interval in the title', async () => {
    const spec = rocSpec(labels, scores, { threshold: 0.5 });
    await expectValid(spec);
    const { auc, interval } = delongInterval(labels, scores);
    const title = spec.title as { subtitle: string[] };
    expect(title.subtitle[0]).toContain(`AUC ${auc.toFixed(3)} (95% CI ${interval[0].toFixed(3)} to ${interval[1].toFixed(3)}, DeLong)`);
    const layers = spec.layer as { mark?: { type: string } }[];
    expect(layers.map((l) => l.mark?.type)).toEqual(['area', 'line', 'line', undefined]);
    const noBand = rocSpec(labels, scores, { band: false, title: 'Mine' });
    await expectValid(noBand);
    expect((noBand.layer as unknown[]).length).toBe(3);
    expect(noBand.title).toBe('Mine');
    // Seeded band: the same spec twice.
    expect(rocSpec(labels, scores)).toEqual(rocSpec(labels, scores));
  });

  it('precision-recall, calibration, confusion matrix, training curves and per-fold ROC compile', async () => {
    await expectValid(precisionRecallSpec(labels, scores, { threshold: 0.4 }));
    await expectValid(calibrationSpec(labels, scores, { bins: 5 }));
    await expectValid(confusionMatrixSpec({ tp: 13, fp: 3, tn: 13, fn: 3 }, ['normal', 'hemorrhage'], { threshold: 0.5 }));
    await expectValid(confusionMatrixSpec({ tp: 0, fp: 0, tn: 0, fn: 0 }));
    await expectValid(trainingCurvesSpec(history(0)));
    await expectValid(trainingCurvesSpec(history(0, false)));
    await expectValid(trainingCurvesSpec([history(0), history(0.02), history(0.04)]));
    await expectValid(foldRocSpec(crossValidation()));
  });

  it('refuses data it cannot plot, with clear errors', () => {
    expect(() => rocSpec([1, 1, 1], [0.2, 0.5, 0.9])).toThrow(/both classes/);
    expect(() => precisionRecallSpec([0, 0], [0.2, 0.5])).toThrow(/both classes/);
    expect(() => calibrationSpec([0, 1], [0.2, 1.5])).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => rocSpec(labels, scores, { threshold: 2 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => rocSpec(labels, scores, { size: 10 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => confusionMatrixSpec({ tp: -1, fp: 0, tn: 0, fn: 0 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => trainingCurvesSpec({ epoch: [], history: {} })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});

describe('report summary and Markdown', () => {
  const evaluation = { ...binaryMetrics(labels, scores, 0.5), labels, scores, ids: labels.map((_, i) => `img${i}`) };
  const modelInfo = { format: 1, libraryVersion: '0.1.0', architecture: 'larger-cnn', preprocessing: DEFAULT_PREPROCESSING };

  it('collects every metric with interval and method, and every prediction', () => {
    const s = reportSummary({ evaluation, modelInfo, parameterCount: 1234, dataset: 'test data', split: 'none', bootstrap: { rounds: 200 } });
    expect(s.kind).toBe('evaluation');
    expect(s.samples).toEqual({ count: 60, positives: 30, negatives: 30, prevalence: 0.5 });
    expect(s.metrics.map((m) => m.key)).toEqual([
      'accuracy', 'sensitivity', 'specificity', 'ppv', 'npv', 'balancedAccuracy', 'f1',
      'rocAuc', 'rocAucBootstrap', 'prAuc', 'brier', 'ece', 'loss',
    ]);
    const auc = s.metrics.find((m) => m.key === 'rocAuc');
    expect(auc?.interval).toEqual(evaluation.intervals.rocAuc);
    expect(auc?.method).toContain('DeLong');
    expect(s.metrics.find((m) => m.key === 'rocAucBootstrap')?.method).toContain('200 resamples');
    expect(s.predictions[3]).toEqual({ id: 'img3', label: 1, score: scores[3] });
    expect(s.model?.parameterCount).toBe(1234);
    expect(s.disclaimer).toBe(DISCLAIMER);
    expect(() => reportSummary({ dataset: 'x', split: 'y' })).toThrow(/exactly one of evaluation/);
    expect(() => reportSummary({ evaluation, dataset: ' ', split: 'y' })).toThrow(/dataset description/);
  });

  it('writes a cross-validation report with the per-fold table, plots and extra sections', () => {
    const cv = crossValidation();
    const s = reportSummary({ crossValidation: cv, modelInfo, dataset: 'phantoms', split: 'three folds', bootstrap: false });
    expect(s.crossValidation?.groups).toBe(30);
    expect(s.crossValidation?.perFold.map((f) => f.fold)).toEqual([1, 2, 3]);
    expect(s.histories).toHaveLength(3);
    expect(s.predictions[4]).toEqual({ id: 's4', label: 0, score: cv.scores[4], fold: 2 });
    const plots = reportPlots({ crossValidation: cv, dataset: 'phantoms', split: 'three folds' });
    expect(plots.map((p) => p.name)).toEqual(['roc', 'roc-folds', 'precision-recall', 'calibration', 'confusion-matrix', 'training-curves']);
    const md = reportMarkdown(s, {
      images: plots.map((p) => ({ title: p.title, path: `${p.name}.png`, caption: p.caption })),
      sections: [{ heading: 'Grad-CAM', body: 'To be added.' }],
    });
    expect(md.split('\n')[0]).toBe('# Cross-validation report');
    expect(md).toContain(DISCLAIMER);
    expect(md).toContain('Grouped, stratified 3-fold cross-validation (seed 42)');
    expect(md).toContain('| Fold | Train | Test | ROC AUC (95% CI, DeLong)');
    expect(md).toContain('![ROC per fold](roc-folds.png)');
    expect(md).toContain('## Grad-CAM\n\nTo be added.');
    expect(md).toContain('| True \\ predicted | normal | hemorrhage | Total |');
    const { tn, fp } = cv.pooled.confusionMatrix;
    expect(md).toContain(`| normal | ${tn} | ${fp} | ${tn + fp} |`);
    expect(md).toContain(`${(100 * cv.pooled.accuracy).toFixed(1)}%`);
  });

  it('leaves out curves when a class is missing, and says n/a for undefined metrics', () => {
    const ones = labels.map(() => 1);
    const one = { ...binaryMetrics(ones, scores, 0.5), labels: ones, scores };
    const plots = reportPlots({ evaluation: one, dataset: 'd', split: 's' });
    expect(plots.map((p) => p.name)).toEqual(['calibration', 'confusion-matrix']);
    const md = reportMarkdown(reportSummary({ evaluation: one, dataset: 'd', split: 's' }));
    expect(md).toMatch(/\| Specificity \| n\/a \| n\/a \|/);
  });

  it('model card: disclaimer, intended use, data, metrics with intervals, preprocessing and limits', () => {
    const md = modelCardMarkdown({
      modelInfo,
      parameterCount: 24_000,
      data: { source: 'head_ct', count: 60, positives: 30, groups: 30 },
      split: 'grouped 80/20',
      metrics: evaluation,
      training: { epochs: 4, 'batch size': 8 },
      history: history(0),
    });
    expect(md.split('\n')[0]).toBe('# Model card: larger-cnn');
    expect(md).toContain(DISCLAIMER);
    expect(md).toContain('**Not for diagnosis**');
    expect(md).toContain('| Parameters | 24,000 |');
    expect(md).toContain('| Groups (patients/scans) | 30 |');
    const acc = metricEntries(evaluation)[0];
    expect(md).toContain(
      `| Accuracy | ${(100 * evaluation.accuracy).toFixed(1)}% | ${(100 * (acc?.interval?.[0] ?? 0)).toFixed(1)}% to ${(100 * (acc?.interval?.[1] ?? 0)).toFixed(1)}% |`,
    );
    expect(md).toContain('| Input size | 128 x 128 pixels, 1 channel |');
    expect(md).toContain('No external validation');
    expect(md).toContain('Shortcuts in public data');
    expect(md).toContain('best epoch 3');
  });
});
