/**
 * A worker thread that ticks at each scheduled send time of an open-model run. Node's timers have
 * 1 ms resolution (a send due between two ticks would be up to 1 ms late). Atomics.wait sleeps for
 * fractional ms but wakes ~95 µs late at the median (measured here), so when the next tick is far
 * off the worker sleeps until EARLY_WAKE before it and spins the rest: the main loop then hears
 * the tick ~20 µs after it is due (P99 ~100 µs), for ~40 µs of spin per tick (~4 % of a core at
 * 1000/s). Ticks closer than SPIN_ONLY_ABOVE are plain waits: the loop is busy at such rates, and
 * spinning all the time would take the core from the proxy it shares.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { startNs, offsetsNs, minTickNs } = workerData;
const count = offsetsNs.length;
const EARLY_WAKE_NS = 120000n;
const SPIN_ONLY_ABOVE_NS = 300000n;
const cell = new Int32Array(new SharedArrayBuffer(4));
let index = 0;
while (index < count) {
  const dueNs = startNs + BigInt(Math.round(offsetsNs[index]));
  const waitNs = dueNs - process.hrtime.bigint();
  if (waitNs > SPIN_ONLY_ABOVE_NS) {
    Atomics.wait(cell, 0, 0, Number(waitNs - EARLY_WAKE_NS) / 1e6);
    while (process.hrtime.bigint() < dueNs) {}
  } else if (waitNs > 0n) {
    Atomics.wait(cell, 0, 0, Number(waitNs) / 1e6);
  }
  parentPort.postMessage(index);
  // Next tick: the first send at least minTickNs from now (sends due sooner go in this batch).
  const horizonNs = Number(process.hrtime.bigint() - startNs) + minTickNs;
  index++;
  while (index < count && offsetsNs[index] < horizonNs) index++;
}
`;

export interface MetronomeOptions {
  startNs: bigint;
  /** Scheduled send times, in ns after startNs, ascending. */
  offsetsNs: Float64Array;
  /** Ticks closer together than this are merged (the main loop sends every due request per tick). */
  minTickNs: number;
}

export function startMetronome(options: MetronomeOptions, onTick: () => void): { stop(): Promise<void> } {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: options });
  worker.on('message', onTick);
  worker.unref();
  return {
    stop: async () => {
      worker.off('message', onTick);
      await worker.terminate();
    },
  };
}
