import { describe, expect, it } from 'vitest';
import { gcPausesInWindow } from './gc-watch.js';

describe('gcPausesInWindow', () => {
  const window = { startEpochMs: 1_000, endEpochMs: 2_000 };

  it('counts only pauses that start inside the window, end excluded', () => {
    const pauses = [
      { startEpochMs: 999.5, durationMs: 4 },
      { startEpochMs: 1_000, durationMs: 1.25 },
      { startEpochMs: 1_500, durationMs: 3.5 },
      { startEpochMs: 2_000, durationMs: 9 },
    ];
    expect(gcPausesInWindow(pauses, window)).toEqual({ pauses: 2, totalMs: 4.75, maxMs: 3.5 });
  });

  it('is all zero without pauses', () => {
    expect(gcPausesInWindow([], window)).toEqual({ pauses: 0, totalMs: 0, maxMs: 0 });
  });
});
