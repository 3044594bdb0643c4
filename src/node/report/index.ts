export { PLOT_PACKAGES, renderPlot, RENDER_PLOT_DEFAULTS } from './render.js';
export type { RenderPlotOptions } from './render.js';
export {
  HISTORY_JSON,
  MODEL_CARD_MD,
  readTrainHistory,
  REPORT_JSON,
  REPORT_MD,
  writeModelCard,
  writeReport,
} from './write.js';
export type { WriteReportInput, WrittenReport } from './write.js';
