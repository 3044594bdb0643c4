export {
  calibrationSpec,
  confusionMatrixSpec,
  foldRocSpec,
  PLOT_DEFAULTS,
  precisionRecallSpec,
  rocSpec,
  trainingCurvesSpec,
} from './specs.js';
export type { FoldScores, PlotOptions, RocSpecOptions, TrainHistoryLike, VegaLiteSpec } from './specs.js';
export { DISCLAIMER, metricEntries, reportSummary } from './summary.js';
export type { FoldSummary, MetricEntry, ReportInput, ReportSummary, ScoredMetrics } from './summary.js';
export { MODEL_CARD_LIMITS, modelCardMarkdown, reportMarkdown } from './markdown.js';
export type { ModelCardInput, ReportImage, ReportMarkdownOptions, ReportSection } from './markdown.js';
export { reportPlots } from './plots.js';
export type { ReportPlot } from './plots.js';
