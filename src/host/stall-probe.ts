/**
 * How often this machine takes a CPU away for long enough to show in a tail percentile. A process
 * pinned to each CPU reads the clock in a tight loop; any gap between two reads is time the CPU
 * ran something else: an interrupt, a kernel thread, or (on a VM) the hypervisor running another
 * guest. On the machine kind this project was built on, both vCPUs lose 0.4-0.9 % of their time to
 * gaps of 0.5-4 ms, about one a second each, with or without kdamond and at any scheduling policy:
 * the hypervisor. A request that crosses ~6 wake-ups meets one ~1 % of the time, which is where P99
 * sits, so P99 differences there say more about the machine than about the proxy.
 */
import { execa } from 'execa';
import type { HostStalls } from '../results/schema.js';

/** A gap at least this long counts as a stall. */
export const STALL_THRESHOLD_US = 500;
/** Gaps at least this long are counted per second. */
export const LONG_STALL_US = 1000;
/** At or above this share of any CPU's time in stalls, tail percentiles carry the machine's stalls. */
export const MAX_STALLED_SHARE = 0.001;
/** How long each CPU is watched by default. */
export const DEFAULT_STALL_PROBE_MS = 2000;

// performance.now() allocates nothing, so the probe never pauses for its own garbage collection.
const PROBE_SOURCE = `
const durationMs = Number(process.argv[1]);
const spinUntil = (end) => { while (performance.now() < end) {} };
spinUntil(performance.now() + 50); // let the loop be compiled before watching
const gapsUs = [];
const start = performance.now();
const end = start + durationMs;
let previous = start;
for (let now = start; now < end; now = performance.now()) {
  if (now - previous >= ${STALL_THRESHOLD_US / 1000}) gapsUs.push(Math.round((now - previous) * 1000));
  previous = now;
}
process.stdout.write(JSON.stringify({ gapsUs, watchedMs: performance.now() - start }));
`;

export type CpuStalls = HostStalls['perCpu'][number];

/** One CPU's stall figures from the gaps it saw. Pure, for tests. */
export function summarizeStalls(cpu: number, gapsUs: readonly number[], watchedMs: number): CpuStalls {
  const stalls = gapsUs.filter((gapUs) => gapUs >= STALL_THRESHOLD_US);
  const stalledUs = stalls.reduce((sum, gapUs) => sum + gapUs, 0);
  return {
    cpu,
    stalledShare: watchedMs > 0 ? stalledUs / (watchedMs * 1000) : 0,
    longStallsPerSecond: watchedMs > 0 ? stalls.filter((gapUs) => gapUs >= LONG_STALL_US).length / (watchedMs / 1000) : 0,
    maxStallUs: stalls.reduce((max, gapUs) => Math.max(max, gapUs), 0),
  };
}

/**
 * Watches every listed CPU at once (each by a Node process pinned with taskset) for `durationMs`.
 * Rejects when taskset or the node binary cannot run.
 */
export async function probeStalls(cpus: readonly number[], durationMs = DEFAULT_STALL_PROBE_MS): Promise<HostStalls> {
  const perCpu = await Promise.all(
    cpus.map(async (cpu) => {
      const { stdout } = await execa('taskset', ['-c', String(cpu), process.execPath, '-e', PROBE_SOURCE, String(durationMs)]);
      const { gapsUs, watchedMs } = JSON.parse(stdout) as { gapsUs: number[]; watchedMs: number };
      return summarizeStalls(cpu, gapsUs, watchedMs);
    }),
  );
  return { probeMs: durationMs, thresholdUs: STALL_THRESHOLD_US, perCpu };
}

/** "cpu0 0.62 % stalled (1.5/s ≥ 1 ms, longest 3.4 ms), cpu1 …" */
export function describeStalls(stalls: HostStalls): string {
  return stalls.perCpu
    .map((cpu) => `cpu${cpu.cpu} ${(cpu.stalledShare * 100).toFixed(2)} % stalled (${cpu.longStallsPerSecond.toFixed(1)}/s ≥ ${LONG_STALL_US / 1000} ms, longest ${(cpu.maxStallUs / 1000).toFixed(1)} ms)`)
    .join(', ');
}

/** Some CPU lost {@link MAX_STALLED_SHARE} of its time or more to stalls. */
export function isStallingMachine(stalls: HostStalls): boolean {
  return stalls.perCpu.some((cpu) => cpu.stalledShare >= MAX_STALLED_SHARE);
}

/** A CPU losing this share of its time before a run is busy with something else, not just a VM's stalls (quiet runs on the project's VM read 0.3–1.4 %). */
export const BUSY_MACHINE_STALLED_SHARE = 0.05;

/**
 * What a run should warn about the machine it probed, or undefined for a quiet one: a machine
 * that stalls puts its stalls into P99, a busy one (another workload) into everything.
 */
export function stallWarning(stalls: HostStalls): string | undefined {
  const worst = Math.max(...stalls.perCpu.map((cpu) => cpu.stalledShare));
  if (worst >= BUSY_MACHINE_STALLED_SHARE) {
    return `a CPU lost ${(worst * 100).toFixed(1)} % of its time to stalls before any pod started: something else is probably running here; this run's figures will not compare with a quiet machine's, and its P99 is mostly the machine`;
  }
  if (isStallingMachine(stalls)) return `this machine stalls (a CPU lost ${(worst * 100).toFixed(2)} % of its time, ≥ ${MAX_STALLED_SHARE * 100} %): P99 and above include its stalls; compare them only within this run`;
  return undefined;
}
