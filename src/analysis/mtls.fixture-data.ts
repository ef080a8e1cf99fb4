// Test fixture (used by mtls.test.ts, report/mtls-report.test.ts and gate/metric-values.test.ts):
// a hand-built run of app-only, sidecar, mtls and mtls-churn over 6 rounds, every figure chosen so the
// expected medians can be worked out by hand (see the tables below).
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import type { OkTrial, Results, TopologyRecord, TrialTls } from '../results/schema.js';
import type { ResourceSample } from '../sampling/types.js';

export const ROUNDS = [0, 1, 2, 3, 4, 5] as const;
export const ARMS = ['app-only', 'sidecar', 'mtls', 'mtls-churn'] as const;
type Arm = (typeof ARMS)[number];

const RUN_START_MS = Date.parse('2026-11-26T10:00:00.000Z');
export const WINDOW_MS = 10_000;
export const windowStartMs = (arm: Arm, round: number) => RUN_START_MS + (round * ARMS.length + ARMS.indexOf(arm)) * 20_000;

/** Per round: P50 (98 requests) and P99/max (2 requests) of each arm, all below 2048 µs (exact in hdr). */
const SIDECAR_P50 = [500, 510, 520, 530, 540, 550];
const SIDECAR_P99 = [1500, 1510, 1520, 1530, 1540, 1550];
/** mtls − sidecar per round: P50 (median 42.5) and P99 (median 105). */
export const MTLS_P50_DELTA = [40, 25, 60, 35, 50, 45];
export const MTLS_P99_DELTA = [100, 120, 80, 90, 110, 130];
/** mtls-churn − mtls per round, P50 and P99 (median 302.5): the first-request penalty. */
export const CHURN_PENALTY = [300, 280, 320, 310, 290, 305];

/** Saturation req/s per round; mtls/sidecar is a dyadic fraction, so 1 − mtls/sidecar is exact. */
export const SIDECAR_SATURATION_RPS = [12_800, 12_928, 12_672, 12_800, 13_056, 12_544];
export const MTLS_SATURATION_RPS = [11_200, 12_120, 11_286, 11_000, 11_526, 11_368];
/** = 1 − MTLS/SIDECAR: 7/8, 15/16, 57/64, 55/64, 113/128, 29/32 kept. */
export const THROUGHPUT_DROPS = [0.125, 0.0625, 0.109375, 0.140625, 0.1171875, 0.09375];

/** TLS connections the server sidecar accepted over 12 s (2 s warm-up + 10 s window). */
export const TLS_SPAN_SECONDS = 12;
export const CHURN_HANDSHAKES_PER_SECOND = [3000, 3100, 2900, 3050, 2950, 3000];
export const KEEPALIVE_HANDSHAKES_PER_SECOND = [2, 2, 3, 2, 1, 2];
/** Extra sidecar CPU of mtls-churn over mtls, µs per handshake, per round (median 100). */
export const CPU_US_PER_HANDSHAKE = [100, 110, 90, 105, 95, 100];

/** Sidecar CPU over the 10 s window, µs: [client sidecar, server sidecar]. */
const SIDECAR_CPU_US = [1_500_000, 1_500_000];
const MTLS_CPU_US = [2_000_000, 2_500_000];
export const MAIN_RPS = 5000;

export const IDENTITY: NonNullable<Results['mtls']> = {
  trustDomain: 'cluster.local',
  clientSpiffeId: 'spiffe://cluster.local/ns/bench/sa/loadgen',
  serverSpiffeId: 'spiffe://cluster.local/ns/bench/sa/app',
  keyAlgorithm: 'ecdsa-p256',
  tlsVersion: '1.3',
  cipher: 'TLS_AES_128_GCM_SHA256',
  identityCheck: `Lua fetch on the peer's URI SAN: <exactly one> & "allowed"`,
  caCertificatePem: '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----',
};

/** The rotation in mtls round 2, 5.3 s into the window (its swap second is 5); one failed in round 4. */
export const ROTATION_OFFSET_MS = 5_300;
export const FAILED_ROTATION_ERROR = 'HAProxy refused the new certificate: <bad cert>';
export const VERIFY_FAILURE = 'SSL handshake failure (error:0A000086:SSL routines::certificate verify failed)';
export const HOSTILE_FAILURE = '<script>alert("x")</script> & \'y\'';

function histogram(p50Us: number, p99Us: number): string {
  const h = newHistogramUs();
  for (let i = 0; i < 98; i++) recordUs(h, p50Us);
  for (let i = 0; i < 2; i++) recordUs(h, p99Us);
  return encodeHistogram(h);
}

function latencyOf(arm: Arm, round: number): [number, number] {
  const sidecar: [number, number] = [SIDECAR_P50[round] as number, SIDECAR_P99[round] as number];
  const mtls: [number, number] = [sidecar[0] + (MTLS_P50_DELTA[round] as number), sidecar[1] + (MTLS_P99_DELTA[round] as number)];
  if (arm === 'app-only') return [300 + 10 * round, 1000];
  if (arm === 'sidecar') return sidecar;
  if (arm === 'mtls') return mtls;
  return [mtls[0] + (CHURN_PENALTY[round] as number), mtls[1] + (CHURN_PENALTY[round] as number)];
}

function sidecarCpuUs(arm: Arm, round: number): number[] {
  if (arm === 'app-only') return [];
  if (arm === 'sidecar') return SIDECAR_CPU_US;
  if (arm === 'mtls') return MTLS_CPU_US;
  const extraUs = (CHURN_HANDSHAKES_PER_SECOND[round] as number) * (CPU_US_PER_HANDSHAKE[round] as number) * (WINDOW_MS / 1000);
  return MTLS_CPU_US.map((cpuUs) => cpuUs + extraUs / 2);
}

function samples(arm: Arm, round: number): ResourceSample[] {
  const start = windowStartMs(arm, round);
  const cpu = sidecarCpuUs(arm, round);
  const at = (epochMs: number, share: number): ResourceSample => ({
    epochMs,
    containers: Object.fromEntries(
      cpu.map((cpuUs, index) => [
        `${arm}-${index === 0 ? 'client' : 'server'}-sidecar`,
        { processes: [{ pid: 10 + index, comm: 'haproxy', cpuUs: 1_000_000 + share * cpuUs, voluntaryCtxSwitches: 0, involuntaryCtxSwitches: 0, rssBytes: 20_000_000, threads: 1 }], cgroup: {} },
      ]),
    ),
  });
  return [at(start, 0), at(start + WINDOW_MS, 1)];
}

function tlsOf(arm: Arm, round: number): TrialTls | undefined {
  if (arm !== 'mtls' && arm !== 'mtls-churn') return undefined;
  const perSecond = (arm === 'mtls' ? KEEPALIVE_HANDSHAKES_PER_SECOND : CHURN_HANDSHAKES_PER_SECOND)[round] as number;
  const start = windowStartMs(arm, round);
  const rotations: TrialTls['rotations'] =
    arm === 'mtls' && round === 2
      ? [{ epochMs: start + ROTATION_OFFSET_MS, ok: true, newSerials: ['7A01', '7A02'] }]
      : arm === 'mtls' && round === 4
        ? [{ epochMs: start + 4_000, ok: false, error: FAILED_ROTATION_ERROR, newSerials: [] }]
        : [];
  const handshakeFailures = arm === 'mtls' && round === 2 ? [VERIFY_FAILURE] : arm === 'mtls-churn' && round === 3 ? [VERIFY_FAILURE, HOSTILE_FAILURE] : [];
  return {
    serverTlsConnections: perSecond * TLS_SPAN_SECONDS,
    spanSeconds: TLS_SPAN_SECONDS,
    ...(arm === 'mtls-churn' ? { frontendSessionReusePercent: round === 5 ? 12.5 : 0 } : {}),
    rotations,
    handshakeFailures,
  };
}

/** Latency second by second in the rotated trial: the swap second (5) is slower and has 3 errors. */
export const ROTATED_TIMELINE = Array.from({ length: 10 }, (_, second) => ({
  second,
  responses: 5000,
  errors: second === 5 ? 3 : 0,
  p50Us: second === 5 ? 720 : 520 + second,
  p99Us: second === 5 ? 2500 : 1600,
  maxUs: 3000,
}));

function trial(arm: Arm, round: number, withSaturation: boolean): OkTrial {
  const start = windowStartMs(arm, round);
  const [p50, p99] = latencyOf(arm, round);
  const empty = encodeHistogram(newHistogramUs());
  const responses = MAIN_RPS * (WINDOW_MS / 1000);
  const rotated = arm === 'mtls' && round === 2;
  const failedRotation = arm === 'mtls' && round === 4;
  const saturationRps = arm === 'sidecar' ? SIDECAR_SATURATION_RPS[round] : arm === 'mtls' ? MTLS_SATURATION_RPS[round] : undefined;
  const tls = tlsOf(arm, round);
  return {
    state: 'ok',
    topology: arm,
    round,
    startedAt: new Date(start - 2000).toISOString(),
    load: {
      ...(rotated ? { timeline: ROTATED_TIMELINE } : {}),
      window: { startEpochMs: start, endEpochMs: start + WINDOW_MS },
      responses,
      statusCodes: rotated ? { '200': responses - 2, '503': 2 } : failedRotation ? { '200': responses - 4, '502': 4 } : { '200': responses },
      connectionErrors: rotated ? 1 : 0,
      timeouts: 0,
      errorMessages: [],
      bytesRead: responses * 1024,
      headerCounts: { upstreamServiceTime: 0, appServiceTime: 0 },
      histograms: { latencyUs: histogram(p50, p99), upstreamServiceTimeUs: empty, appServiceTimeUs: empty, proxyOverheadUs: empty, networkAndProxiesUs: empty },
    },
    ...(tls ? { tls } : {}),
    ...(withSaturation && saturationRps !== undefined ? { saturation: { connections: 64, seconds: 5, responses: saturationRps * 5, rps: saturationRps, errors: 0 } } : {}),
    resources: { intervalMs: 250, samples: samples(arm, round) },
  };
}

function topology(arm: Arm): TopologyRecord {
  const hasClientSidecar = arm !== 'app-only';
  const container = (side: string, role: 'loadgen' | 'sidecar' | 'app') => ({ name: `${arm}-${side}-${role}`, role, image: `sb/${role}`, hostPid: 100 });
  return {
    name: arm,
    description: `${arm} topology`,
    pods: [
      { name: `${arm}-client`, side: 'client', ip: '172.28.0.2', cpus: '0', interception: hasClientSidecar, containers: [container('client', 'loadgen'), ...(hasClientSidecar ? [container('client', 'sidecar')] : [])] },
      { name: `${arm}-server`, side: 'server', ip: '172.28.0.3', cpus: '1', interception: hasClientSidecar, containers: [container('server', 'app'), ...(hasClientSidecar ? [container('server', 'sidecar')] : [])] },
    ],
  };
}

export interface MtlsFixtureOptions {
  /** Trials carry a saturation burst (sidecar and mtls arms). Default true. */
  saturation?: boolean;
  /** Include the mtls-churn arm. Default true. */
  churn?: boolean;
  /** The scenario's load, as results.json records it. Default closed, 16 connections. */
  load?: Record<string, unknown>;
}

export function makeMtlsResults(options: MtlsFixtureOptions = {}): Results {
  const arms = ARMS.filter((arm) => options.churn !== false || arm !== 'mtls-churn');
  return {
    schemaVersion: 1,
    tool: { name: 'sidecar-bench', version: '0.1.0' },
    run: { id: 'mtls-run', startedAt: new Date(RUN_START_MS).toISOString(), finishedAt: new Date(RUN_START_MS + 600_000).toISOString(), status: 'complete' },
    scenario: { name: 'mtls', topologies: [...arms], load: options.load ?? { model: 'closed', connections: 16, warmupUs: 2_000_000, durationUs: 10_000_000 } },
    host: { cpuModel: 'Test CPU', logicalCores: 2, aesNi: true, avx2: true, kernel: '6.1.0', os: 'Linux', dockerVersion: '27.0.0', nodeVersion: 'v20.19.0', cgroupVersion: 2 },
    images: {},
    proxyVersions: { haproxy: 'HAProxy version 2.6.12' },
    topologies: arms.map(topology),
    mtls: IDENTITY,
    trials: ROUNDS.flatMap((round) => arms.map((arm) => trial(arm, round, options.saturation !== false))),
    summary: undefined,
  };
}
