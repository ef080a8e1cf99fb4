export * from './histogram.js';
