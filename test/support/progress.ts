import type { Progress } from '../../src/progress.js';

/** Progress that prints only failures, so a failing test says which step failed. */
export const testProgress: Progress = {
  start: (title) => ({ update: () => {}, succeed: () => {}, fail: (detail) => console.error(`✖ ${detail ?? title}`) }),
  info: () => {},
  warn: (message) => console.warn(message),
};
