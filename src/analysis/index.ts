export { summarizeResults, BASELINE_TOPOLOGY } from './summarize.js';
export { containerWindowResources, containerResourceSeries, cpusetSize } from './window-resources.js';
export * from './types.js';
export { describeEvidence, diagnose, FINDING_CATALOG, FINDING_KINDS, type Finding, type FindingEvidence, type FindingKind } from './findings/index.js';
