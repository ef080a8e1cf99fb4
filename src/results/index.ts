export * from './schema.js';
export { readResults, writeResults, RESULTS_FILE_NAME } from './results-file.js';
