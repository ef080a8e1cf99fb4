export * from './wall-time.js';
