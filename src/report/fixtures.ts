/**
 * Realistic results.json files for the report's tests, and their summaries made by the real
 * analysis stage (summarizeResults). Interleaved rounds (A B C A B C …), real encoded histograms
 * drawn request by request, cumulative /proc samples every 250 ms. Deterministic: the same
 * options give the same fixture.
 *
 * - default: app-only, sidecar-inbound, sidecar under a closed loop, 6 rounds (enough for a 95 %
 *   interval over trials: [min, max] of 6 covers 96.9 %);
 * - `openModel`: the same at a fixed 4,000/s; sidecar does not sustain it;
 * - `calibration`: the arms of `sidecar-bench calibrate` (8 rounds), delays of 0.5, 1 and 5 ms.
 */
import { summarizeResults } from '../analysis/index.js';
import type { ResultsSummary } from '../analysis/types.js';
import type { CalibrationPlan, PodRecord, Results, TopologyRecord, TrialRecord } from '../results/schema.js';
import { OPEN_TARGET_RPS, calibrationPlans, closedPlans, openPlans, type TopologyPlan } from './fixture-plans.js';
import { INTERVAL_MS, WINDOW_MS, loadOf, normal, prng, samplesOf } from './fixture-load.js';

export interface FixtureOptions {
  /** Put into the scenario description, every topology description and error message. */
  hostileText?: string;
  status?: Results['run']['status'];
  /** The last round of `sidecar` failed (so it has one ok trial fewer than the others). */
  withFailedTrial?: boolean;
  /** Open model at 4,000 requests/s: trials carry `open` stats, uncorrected latency and send lag. */
  openModel?: boolean;
  /** A calibration run (ignores `openModel`: calibration is always open-model, at 500/s). */
  calibration?: boolean;
  /** Rounds per topology; default 6 (8 for calibration). */
  rounds?: number;
}

export const FIXTURE_ROUNDS = 6;
export const CALIBRATION_ROUNDS = 8;
const RUN_START_MS = Date.parse('2025-11-26T09:30:00.000Z');

function topologyRecord(plan: TopologyPlan): TopologyRecord {
  const pod = (side: 'client' | 'server'): PodRecord => ({
    name: `${plan.name}-${side}`, side, ip: side === 'client' ? '172.28.0.2' : '172.28.0.3', cpus: side === 'client' ? '0' : '1',
    interception: plan.containers.some((c) => c.side === side && c.role === 'sidecar'),
    containers: plan.containers.filter((c) => c.side === side).map((c, index) => ({
      name: c.name, role: c.role, image: `sidecar-bench/${c.role}:3f9a1c2e`, hostPid: 4_000 + index,
    })),
  });
  return { name: plan.name, description: plan.description, pods: [pod('client'), pod('server')] };
}

interface RunKind {
  name: string;
  description: string;
  plans: TopologyPlan[];
  load: Record<string, unknown>;
  calibration?: CalibrationPlan;
  baseline?: string;
}

function runKind(options: FixtureOptions, hostile: string): RunKind {
  const suffix = hostile === '' ? '' : ` ${hostile}`;
  const durationUs = WINDOW_MS * 1000;
  if (options.calibration) {
    const { plans, calibration } = calibrationPlans();
    return {
      name: 'calibrate',
      description: `Known delays in the server sidecar; the harness must attribute exactly them, and nothing to an A/A arm.${suffix}`,
      plans,
      load: { model: 'open', ratePerSecond: 500, connections: 16, warmupUs: 1_000_000, durationUs, timeoutUs: 10_000_000 },
      calibration,
      baseline: calibration.referenceArm,
    };
  }
  if (options.openModel) {
    return {
      name: 'open-haproxy',
      description: `HAProxy sidecar, open model at ${OPEN_TARGET_RPS}/s over 16 connections, 1 KiB responses${suffix}`,
      plans: openPlans(hostile),
      load: { model: 'open', ratePerSecond: OPEN_TARGET_RPS, connections: 16, warmupUs: 2_000_000, durationUs, timeoutUs: 10_000_000 },
    };
  }
  return {
    name: 'baseline-haproxy',
    description: `HAProxy sidecar, 16 closed-loop connections, 1 KiB responses${suffix}`,
    plans: closedPlans(hostile),
    load: { model: 'closed', connections: 16, warmupUs: 2_000_000, durationUs, timeoutUs: 10_000_000 },
  };
}

export function makeFixtureResults(options: FixtureOptions = {}): Results {
  const hostile = options.hostileText ?? '';
  const kind = runKind(options, hostile);
  const rounds = options.rounds ?? (options.calibration ? CALIBRATION_ROUNDS : FIXTURE_ROUNDS);
  const random = prng(20251126);
  const trials: TrialRecord[] = [];
  let clockMs = RUN_START_MS + 20_000;
  for (let round = 0; round < rounds; round++) {
    // The machine's state this round: shared by every topology of the round, cancels in pairs.
    const drift = 1 + 0.03 * normal(random);
    for (const plan of kind.plans) {
      const startedAt = new Date(clockMs).toISOString();
      if (options.withFailedTrial && plan.name === 'sidecar' && round === rounds - 1) {
        const message = `container sc-server-sidecar exited with code 137 (OOMKilled)${hostile === '' ? '' : ` ${hostile}`}`;
        trials.push({ state: 'failed', topology: plan.name, round, startedAt, error: { code: 'SB_CONTAINER_FAILED', message } });
        clockMs += 6_000;
        continue;
      }
      const windowStartMs = clockMs + 2_000;
      trials.push({
        state: 'ok', topology: plan.name, round, startedAt,
        load: loadOf(plan, round, windowStartMs, drift, random, hostile),
        resources: { intervalMs: INTERVAL_MS, samples: samplesOf(plan, windowStartMs, random) },
      });
      clockMs = windowStartMs + WINDOW_MS + 3_000;
    }
  }
  return {
    schemaVersion: 1,
    tool: { name: 'sidecar-bench', version: '0.1.0' },
    run: {
      id: `${kind.name}-20251126T093000Z`,
      startedAt: new Date(RUN_START_MS).toISOString(),
      finishedAt: new Date(clockMs).toISOString(),
      status: options.status ?? 'complete',
      ...(options.status === 'interrupted' ? { error: { code: 'SB_INTERRUPTED', message: 'interrupted by SIGINT' } } : {}),
    },
    scenario: {
      name: kind.name,
      description: kind.description,
      sourceFile: `scenarios/${kind.name}.yaml`,
      topologies: options.calibration ? ['sidecar'] : kind.plans.map((plan) => plan.name),
      proxy: { profile: 'haproxy', workerThreads: 1 },
      app: { responseBodyBytes: 1024, serviceTimeUs: 0 },
      load: kind.load,
      trials: rounds,
      sampling: { intervalUs: INTERVAL_MS * 1000 },
      placement: { cpusets: 'split' },
    },
    host: {
      cpuModel: 'Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz', logicalCores: 2, aesNi: true, avx2: true,
      kernel: '6.1.0-28-cloud-amd64', os: 'Debian GNU/Linux 12 (bookworm)', dockerVersion: '20.10.24+dfsg1',
      nodeVersion: 'v20.20.0', cgroupVersion: 1,
      stalls: { probeMs: 2000, thresholdUs: 500, perCpu: [
        { cpu: 0, stalledShare: 0.0062, longStallsPerSecond: 1.5, maxStallUs: 3400 },
        { cpu: 1, stalledShare: 0.0002, longStallsPerSecond: 0, maxStallUs: 610 },
      ] },
    },
    images: {
      app: { tag: 'sidecar-bench/app:3f9a1c2e', id: 'sha256:5b1f0c' },
      haproxy: { tag: 'sidecar-bench/haproxy:8d02aa41', id: 'sha256:c7e911' },
    },
    proxyVersions: { haproxy: 'HAProxy version 2.6.12-1+deb12u1 2023/12/16' },
    topologies: kind.plans.map(topologyRecord),
    ...(kind.baseline ? { baseline: kind.baseline } : {}),
    ...(kind.calibration ? { calibration: kind.calibration } : {}),
    trials,
    summary: null,
  };
}

/** A fixture results.json and its summary, as `sidecar-bench report` would compute it. */
export function makeFixture(options: FixtureOptions = {}): { results: Results; summary: ResultsSummary } {
  const results = makeFixtureResults(options);
  const summary = summarizeResults(results);
  return { results: { ...results, summary }, summary };
}
