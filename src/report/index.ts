export { renderHtmlReport, REPORT_DATA_ELEMENT_ID, CHART_CONTAINER_CLASS } from './html-report.js';
export { renderTerminalSummary, type TerminalSummaryOptions } from './terminal-summary.js';
export {
  buildReportCharts,
  latencyPercentileSpec,
  overheadVsBaselineSpec,
  overheadEstimatorsSpec,
  cpuOverTimeSpec,
  ctxSwitchesOverTimeSpec,
  resourceEfficiencySpec,
  rssSpec,
  type ReportChart,
  type ReportChartId,
} from './charts.js';
export { escapeHtml, jsonForScript } from './escape.js';
