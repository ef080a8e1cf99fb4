import { BenchError, describeError } from '../errors.js';
import type { CgroupDirs } from './cgroup-paths.js';
import { listCgroupPids, readCgroupSample, resolveCgroupDirsOfPid } from './cgroup-reader.js';
import { OpenFileCache } from './open-file-cache.js';
import { readProcessSample, type ProcReadOptions } from './proc-reader.js';
import { readNetnsSample, type NetnsSample } from './net-tcp.js';
import type { ContainerSample, ProcessSample, ResourceSample, SampledContainer, SampledPod } from './types.js';

/** Options of a {@link ResourceSampler}. */
export interface ResourceSamplerOptions {
  containers: SampledContainer[];
  /**
   * Pods whose network namespace is sampled too (TCP states from net/tcp + tcp6, conntrack):
   * evidence for TIME_WAIT pile-ups and a full conntrack table. Default none.
   */
  pods?: SampledPod[];
  /** Time between samples, in ms. The design asks for ≤ 250 ms. */
  intervalMs: number;
  /** USER_HZ, from {@link readClockTicksPerSecond} (once per run). */
  clockTicksPerSecond: number;
  /** Directory of the proc filesystem. Default "/proc". */
  procRoot?: string;
  /** Prefix for cgroup mount points (see CgroupReadOptions.hostRoot). Default "/". */
  hostRoot?: string;
  /** Wall clock in epoch ms, stamped on each sample. Default Date.now. */
  now?: () => number;
}

/** A sample that could not be taken completely (the others go on). */
export interface SamplerFailure {
  epochMs: number;
  container: string;
  message: string;
}

/** Kept failures are capped so a persistent problem cannot grow memory over a long run. */
const MAX_FAILURES_KEPT = 20;

interface ResolvedContainer {
  name: string;
  hostPid: number;
  dirs: CgroupDirs;
}

/**
 * Samples /proc and the cgroups of a set of containers every `intervalMs`: the time series behind
 * vCPU, context switches and RSS per container.
 *
 * Lifecycle: `start()` resolves each container's cgroup once and takes the first sample (the
 * baseline of every cumulative counter); a timer then samples every intervalMs; `stop()` takes a
 * last sample and returns them all. A tick that comes while the previous read is still running is
 * skipped (counted in {@link skippedTicks}) rather than queued: the sampler shares the cores with
 * what it measures, and a pile-up would both distort the measurement and bunch the samples.
 *
 * Between samples it holds one open file per process and thread sampled (/proc/PID/stat and
 * task/TID/status) plus a few per cgroup; `stop()` closes them (or `await using`).
 */
export class ResourceSampler implements AsyncDisposable {
  readonly #options: ResourceSamplerOptions;
  readonly #now: () => number;
  readonly #samples: ResourceSample[] = [];
  readonly #failures: SamplerFailure[] = [];
  #containers: ResolvedContainer[] = [];
  #state: 'created' | 'running' | 'stopped' = 'created';
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #skippedTicks = 0;
  #failureCount = 0;
  /** Files re-read every sample stay open between samples: the cheapest way to re-read them. */
  readonly #files = new OpenFileCache();

  constructor(options: ResourceSamplerOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError(`intervalMs must be > 0, got ${options.intervalMs}`);
    if (!(options.clockTicksPerSecond > 0)) {
      throw new RangeError(`clockTicksPerSecond must be > 0, got ${options.clockTicksPerSecond}`);
    }
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Ticks skipped because the previous sample was still being read. */
  get skippedTicks(): number {
    return this.#skippedTicks;
  }

  /** The first failures (at most 20) of samples that could not be read completely. */
  get failures(): readonly SamplerFailure[] {
    return this.#failures;
  }

  /** How many failures happened in total, including those not kept. */
  get failureCount(): number {
    return this.#failureCount;
  }

  /**
   * Resolves every container's cgroup and takes the first sample, then starts the timer.
   * Throws BenchError SB_CONTAINER_FAILED when a container's process no longer exists.
   */
  async start(): Promise<void> {
    if (this.#state !== 'created') throw new Error(`ResourceSampler.start() called when ${this.#state}`);
    this.#state = 'running';
    const procRoot = this.#options.procRoot;
    const hostRoot = this.#options.hostRoot;
    try {
      this.#containers = await Promise.all(
        this.#options.containers.map(async ({ name, hostPid }) => {
          const dirs = await resolveCgroupDirsOfPid(hostPid, { procRoot, hostRoot });
          if (dirs === undefined) {
            throw new BenchError('SB_CONTAINER_FAILED', `container "${name}" is gone: host PID ${hostPid} no longer exists`);
          }
          return { name, hostPid, dirs };
        }),
      );
    } catch (error) {
      this.#state = 'stopped';
      throw error;
    }
    await this.#sample();
    // unref: a forgotten sampler must not keep the CLI alive after everything else ended.
    this.#timer = setInterval(() => this.#tick(), this.#options.intervalMs).unref();
  }

  /** Stops the timer, waits for a read in progress, takes a last sample and returns every sample. */
  async stop(): Promise<ResourceSample[]> {
    if (this.#state !== 'running') throw new Error(`ResourceSampler.stop() called when ${this.#state}`);
    this.#state = 'stopped';
    clearInterval(this.#timer);
    await this.#inFlight;
    try {
      await this.#sample();
    } finally {
      await this.#files.close();
    }
    return [...this.#samples];
  }

  /** For `await using`: stops a running sampler (dropping its samples) so its files get closed. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state === 'running') await this.stop();
  }

  #tick(): void {
    if (this.#inFlight !== undefined) {
      this.#skippedTicks += 1;
      return;
    }
    this.#inFlight = this.#sample().finally(() => {
      this.#inFlight = undefined;
    });
  }

  /** One sample of every container; never rejects (failures are recorded instead). */
  async #sample(): Promise<void> {
    // Stamped before the reads: they take a few ms (~150 µs per process here), far below the interval.
    const epochMs = this.#now();
    const [entries, pods] = await Promise.all([
      Promise.all(this.#containers.map(async (container) => [container.name, await this.#sampleContainer(container, epochMs)] as const)),
      Promise.all((this.#options.pods ?? []).map(async (pod) => [pod.name, await this.#samplePod(pod, epochMs)] as const)),
    ]);
    const netns = pods.filter((entry): entry is readonly [string, NetnsSample] => entry[1] !== undefined);
    this.#samples.push({ epochMs, containers: Object.fromEntries(entries), ...(netns.length > 0 ? { pods: Object.fromEntries(netns) } : {}) });
    await this.#files.closeUnused();
  }

  async #sampleContainer(container: ResolvedContainer, epochMs: number): Promise<ContainerSample> {
    const listed = await listCgroupPids(container.dirs);
    // Without a readable cgroup.procs, the container's first process is still worth reading.
    const pids = listed.length > 0 ? listed : [container.hostPid];
    const options: ProcReadOptions = {
      procRoot: this.#options.procRoot,
      clockTicksPerSecond: this.#options.clockTicksPerSecond,
      read: this.#files.read,
    };
    const [processes, cgroup] = await Promise.all([
      Promise.all(pids.map((pid) => this.#readProcess(container.name, pid, options, epochMs))),
      readCgroupSample(container.dirs, this.#files.read),
    ]);
    return { processes: processes.filter((p): p is ProcessSample => p !== undefined), cgroup };
  }

  async #samplePod(pod: SampledPod, epochMs: number): Promise<NetnsSample | undefined> {
    try {
      return await readNetnsSample(pod.hostPid, this.#options.procRoot);
    } catch (error) {
      this.#noteFailure(epochMs, pod.name, `netns of PID ${pod.hostPid}: ${describeError(error)}`);
      return undefined;
    }
  }

  #noteFailure(epochMs: number, container: string, message: string): void {
    this.#failureCount += 1;
    if (this.#failures.length < MAX_FAILURES_KEPT) this.#failures.push({ epochMs, container, message });
  }

  async #readProcess(
    container: string,
    pid: number,
    options: ProcReadOptions,
    epochMs: number,
  ): Promise<ProcessSample | undefined> {
    try {
      return await readProcessSample(pid, options);
    } catch (error) {
      this.#noteFailure(epochMs, container, `PID ${pid}: ${describeError(error)}`);
      return undefined;
    }
  }
}
