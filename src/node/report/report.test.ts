import { decode } from 'fast-png';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryMetrics } from '../../metrics/index.js';
import { DEFAULT_PREPROCESSING } from '../../preprocessing/index.js';
import { createRng } from '../../random/index.js';
import { DISCLAIMER, rocSpec } from '../../report/index.js';
import { HISTORY_JSON, MODEL_CARD_MD, readTrainHistory, renderPlot, writeModelCard, writeReport } from './index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cth-report-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const rng = createRng(9);
const labels = Array.from({ length: 40 }, (_, i) => i % 2);
const scores = labels.map((l) => Math.min(1, Math.max(0, (l ? 0.6 : 0.4) + (rng() - 0.5) * 0.8)));
const evaluation = { ...binaryMetrics(labels, scores, 0.5), labels, scores };
const modelInfo = { format: 1, libraryVersion: '0.1.0', architecture: 'larger-cnn', preprocessing: DEFAULT_PREPROCESSING };
const history = {
  epoch: [0, 1, 2],
  history: { loss: [0.7, 0.6, 0.55], val_loss: [0.7, 0.65, 0.66], val_auc: [0.5, Number.NaN, 0.7] },
  bestEpoch: 1,
};

describe('writeReport', () => {
  it('writes report.json, report.md and PNG plots that decode to a plausible size', async () => {
    const dir = join(root, 'eval');
    const { files, summary } = await writeReport(dir, {
      evaluation,
      modelInfo,
      history,
      dataset: 'forty synthetic scores',
      split: 'none',
      sections: [{ heading: 'Grad-CAM', body: 'Figure to be added.' }],
      bootstrap: { rounds: 100 },
    });
    const names = files.map((f) => f.slice(dir.length + 1));
    expect(names).toEqual([
      'report.json', 'report.md', 'roc.png', 'precision-recall.png', 'calibration.png', 'confusion-matrix.png', 'training-curves.png',
    ]);
    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(json.samples.count).toBe(40);
    expect(json.metrics.find((m: { key: string }) => m.key === 'rocAuc').value).toBeCloseTo(evaluation.rocAuc, 12);
    expect(json.histories[0].history.val_auc).toEqual([0.5, null, 0.7]);
    expect(json.predictions).toHaveLength(40);
    expect(summary.threshold).toBe(0.5);
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain(DISCLAIMER);
    expect(md).toContain('![ROC curve](roc.png)');
    expect(md).toContain('## Grad-CAM');
    for (const name of names.filter((n) => n.endsWith('.png'))) {
      const png = decode(await readFile(join(dir, name)));
      expect(png.width, name).toBeGreaterThan(400);
      expect(png.width, name).toBeLessThan(3000);
      expect(png.height, name).toBeGreaterThan(300);
      expect(png.height, name).toBeLessThan(3000);
      // Not blank: some dark pixels (text, lines) on the white background.
      const step = png.channels;
      let dark = 0;
      for (let i = 0; i < png.data.length; i += step) if ((png.data[i] as number) < 100) dark++;
      expect(dark, name).toBeGreaterThan(500);
    }
  });

  it('renders SVG too, and refuses bad options and invalid specs', async () => {
    const svg = new TextDecoder().decode(await renderPlot(rocSpec(labels, scores, { band: false }), { format: 'svg' }));
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('ROC curve');
    await expect(renderPlot(rocSpec(labels, scores), { scale: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(renderPlot(rocSpec(labels, scores), { format: 'gif' as 'png' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(renderPlot({ $schema: 'x', mark: 'nope' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(writeReport(join(root, 'bad'), { dataset: 'd', split: 's' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('writeModelCard and readTrainHistory', () => {
  it('writes MODEL_CARD.md with the disclaimer and metrics, and history.json that reads back', async () => {
    const dir = join(root, 'model');
    const files = await writeModelCard(dir, {
      modelInfo,
      parameterCount: 5000,
      data: { source: 'phantoms', count: 40, positives: 20 },
      split: 'grouped 75/25',
      metrics: evaluation,
      history,
    });
    expect(files).toEqual([join(dir, MODEL_CARD_MD), join(dir, HISTORY_JSON)]);
    const md = await readFile(join(dir, MODEL_CARD_MD), 'utf8');
    expect(md).toContain(DISCLAIMER);
    expect(md).toContain(`| ROC AUC | ${evaluation.rocAuc.toFixed(3)} | ${evaluation.intervals.rocAuc[0].toFixed(3)} to`);
    expect(md).toContain('Phantoms are not patients');
    const back = await readTrainHistory(dir);
    expect(back?.epoch).toEqual([0, 1, 2]);
    expect(back?.history.val_auc).toEqual([0.5, Number.NaN, 0.7]);
    expect(await readTrainHistory(join(root, 'nowhere'))).toBeUndefined();
    await writeFile(join(dir, HISTORY_JSON), '{"epoch": 3}');
    await expect(readTrainHistory(dir)).rejects.toMatchObject({ code: 'MODEL_FORMAT' });
    const noHistory = join(root, 'model2');
    await writeModelCard(noHistory, { modelInfo, data: { source: 's', count: 1, positives: 0 }, split: 'none' });
    expect(existsSync(join(noHistory, HISTORY_JSON))).toBe(false);
  });
});
