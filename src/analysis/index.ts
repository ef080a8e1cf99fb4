export { summarizeResults, BASELINE_TOPOLOGY } from './summarize.js';
export { containerWindowResources, containerResourceSeries, cpusetSize } from './window-resources.js';
export * from './types.js';
