/** Timers for the schedulers' coarse waits (window edges, draining); sends are timed by hrtime. */

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sleeps until the wall clock reads epochMs, in steps of at most 100 ms (a clock step cannot strand it). */
export async function sleepUntilEpochMs(epochMs: number, nowEpochMs: () => number): Promise<void> {
  for (let remainingMs = epochMs - nowEpochMs(); remainingMs > 0; remainingMs = epochMs - nowEpochMs()) await sleepMs(Math.min(remainingMs, 100));
}

/** Opens `count` connections of a transport, all at once. */
export async function openAll<T>(count: number, open: () => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, () => open()));
}

/** Progress callback of both schedulers: phase, ms since the start, responses recorded so far. */
export type OnProgress = (phase: 'warmup' | 'measure', elapsedMs: number, responses: number) => void;
