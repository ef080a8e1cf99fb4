export { runScenario, type RunScenarioOptions, type RunOutcome } from './run-scenario.js';
export type { GateCounts } from './adaptive-rounds.js';
export { writeReports, HTML_REPORT_FILE_NAME } from './write-reports.js';
