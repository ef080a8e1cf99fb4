/**
 * results.json, version 1: the contract between measuring and reporting. A report or a gate is a
 * pure function of this file. Read back with readResults(), which validates it.
 */
import { z } from 'zod';
import { LOAD_PROTOCOLS } from '../load/protocols.js';
import { agentResultSchema } from '../load/agent-protocol.js';

export const RESULTS_SCHEMA_VERSION = 1;

const processSampleSchema = z.object({
  pid: z.number().int(),
  comm: z.string(),
  cpuUs: z.number().nonnegative(),
  voluntaryCtxSwitches: z.number().nonnegative(),
  involuntaryCtxSwitches: z.number().nonnegative(),
  rssBytes: z.number().nonnegative(),
  threads: z.number().int().nonnegative(),
});

const cgroupSampleSchema = z.object({
  cpuUsageUs: z.number().optional(),
  /** cpu.stat nr_periods: CFS periods elapsed (only under a CPU limit). */
  cfsPeriods: z.number().optional(),
  /** cpu.stat nr_throttled: periods the container was throttled in. */
  throttledPeriods: z.number().optional(),
  /** Time throttled, µs. */
  throttledUs: z.number().optional(),
  memoryUsageBytes: z.number().optional(),
  oomKills: z.number().optional(),
});

/** TCP sockets per state (ESTABLISHED, TIME_WAIT, SYN_SENT, …) in a pod's netns: /proc/PID/net/tcp + tcp6. */
const tcpStateCountsSchema = z.record(z.string(), z.number().int().nonnegative());
/** A pod's conntrack: entries now, and drops since its netns began (summed over CPUs), from net/stat/nf_conntrack. */
const conntrackStatSchema = z.object({ entries: z.number().int().nonnegative(), drop: z.number().int().nonnegative(), earlyDrop: z.number().int().nonnegative(), insertFailed: z.number().int().nonnegative() });
export const netnsSampleSchema = z.object({ tcp: tcpStateCountsSchema, conntrack: conntrackStatSchema.optional() });

export const resourceSampleSchema = z.object({
  epochMs: z.number(),
  containers: z.record(z.string(), z.object({ processes: z.array(processSampleSchema), cgroup: cgroupSampleSchema })),
  /** Each pod's network namespace at the same instant, by pod name (absent in older files). */
  pods: z.record(z.string(), netnsSampleSchema).optional(),
});

export const containerRoleSchema = z.enum(['pause', 'app', 'sidecar', 'loadgen']);
export type ContainerRole = z.infer<typeof containerRoleSchema>;

const resourceAmountsSchema = z.object({ cpuMilli: z.number().nonnegative().optional(), memoryBytes: z.number().nonnegative().optional() });

/**
 * A container's Kubernetes resources as run: requests and limits (CPU in millicores, memory in
 * bytes) and the cgroup settings the kubelet maps them to, applied through Docker's HostConfig
 * (src/kubernetes/kubelet-resources.ts).
 */
const containerResourcesRecordSchema = z.object({
  requests: resourceAmountsSchema,
  limits: resourceAmountsSchema,
  cgroup: z.object({
    cpuShares: z.number().int().positive(),
    /** cpu.cfs_period_us, µs. */
    cpuPeriodUs: z.number().int().positive(),
    /** cpu.cfs_quota_us, µs per period; absent: no CPU limit. */
    cpuQuotaUs: z.number().int().positive().optional(),
    memoryLimitBytes: z.number().int().positive().optional(),
  }),
});
export type ContainerResourcesRecord = z.infer<typeof containerResourcesRecordSchema>;

const containerRecordSchema = z.object({
  name: z.string(),
  role: containerRoleSchema,
  image: z.string(),
  hostPid: z.number().int(),
  /** Absent: the container ran without requests or limits. */
  resources: containerResourcesRecordSchema.optional(),
});

const podRecordSchema = z.object({
  name: z.string(),
  side: z.enum(['client', 'server']),
  ip: z.string(),
  cpus: z.string().optional(),
  interception: z.boolean(),
  /** The network sysctls set on the pod's pause container, as read back from inside the pod. */
  sysctls: z.record(z.string(), z.string()).optional(),
  containers: z.array(containerRecordSchema),
});

/** The counters docker/ebpf/sidecar.bpf.c keeps, in the index order of its sb_counters map. */
export const BPF_COUNTER_NAMES = [
  'messagesRedirected',
  'bytesRedirected',
  'messagesPassed',
  'redirectsFailed',
  'socketsAdded',
  'socketPairs',
  'connectsRewritten',
  'originalDstAnswered',
  'originalDstMissed',
] as const;

/** Counter increments over one trial (warm-up included): proof the programs acted. */
export const bpfCountersSchema = z.object(Object.fromEntries(BPF_COUNTER_NAMES.map((name) => [name, z.number().int()])) as Record<(typeof BPF_COUNTER_NAMES)[number], z.ZodNumber>);

/** ebpf arms: which mechanisms ran and which cgroup each program was attached to. */
const topologyBpfSchema = z.object({
  sockmap: z.boolean(),
  connect: z.boolean(),
  attachments: z.array(z.object({ kind: z.enum(['sockops', 'sockops-origin', 'connect4', 'getsockopt']), container: z.string(), cgroup: z.string() })),
});


/** An arm's own sidecar proxy, as the scenario asked for it and as the running sidecar reports itself. */
const armProxyRecordSchema = z.object({
  profile: z.string(),
  /** The release the scenario pinned (proxy.version), when it pinned one. */
  requestedVersion: z.string().optional(),
  /** The first line of the sidecar's own version command, run in this arm's sidecar. */
  version: z.string(),
  image: z.string(),
  workerThreads: z.number().int().positive(),
  addedDelayUs: z.number().nonnegative().optional(),
});
export type ArmProxyRecord = z.infer<typeof armProxyRecordSchema>;

/** A container the kernel killed for memory: Docker's State.OOMKilled, and the cgroup's oom_kill counter where read. */
const oomKillRecordSchema = z.object({
  container: z.string(),
  role: containerRoleSchema,
  exitCode: z.number().int(),
  /** Its limits.memory, when the scenario set one. */
  memoryLimitBytes: z.number().int().positive().optional(),
  /** The highest memory cgroup oom_kill count the sampler read (absent: the cgroup was gone before a sample). */
  cgroupOomKills: z.number().int().nonnegative().optional(),
});
export type OomKillRecord = z.infer<typeof oomKillRecordSchema>;

/** One arm of the run (named after its topology unless the scenario names its arms). */
const topologyRecordSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** The interception strategy of the topology's pods (src/interception/), e.g. "iptables", "ebpf". */
  interception: z.string().optional(),
  bpf: topologyBpfSchema.optional(),
  pods: z.array(podRecordSchema),
  /** Absent for arms without a sidecar (app-only). */
  proxy: armProxyRecordSchema.optional(),
  /**
   * The arm stopped being measured: a container was OOMKilled (at start or in the trial of
   * `round`); its later rounds were skipped, the other arms ran on.
   */
  failure: z.object({ reason: z.literal('OOMKilled'), round: z.number().int(), message: z.string(), oomKills: z.array(oomKillRecordSchema) }).optional(),
  /** What the arm's load spoke, when not HTTP/1.1; its overheads are over the app-only arm of the same protocol. */
  protocol: z.enum(LOAD_PROTOCOLS).optional(),
  /** freshPodsEvery: the pods of each later set, in order (`pods` is set 0); a trial's `podSet` says which it ran on. */
  laterPodSets: z.array(z.array(podRecordSchema)).optional(),
});

const trialLoadSchema = agentResultSchema.omit({ event: true });

/** mtls arms: the server sidecar's TLS counters over the trial, and any SVID rotation made in it. */
const trialTlsSchema = z.object({
  /** TLS connections the server sidecar handled during the trial (warm-up included). */
  serverTlsConnections: z.number().nonnegative(),
  /** Seconds the counters span (warm-up + measured window). */
  spanSeconds: z.number().positive(),
  /** Share of the server sidecar's inbound handshakes that resumed a session, in % (HAProxy: since it started; Envoy: in the trial). */
  frontendSessionReusePercent: z.number().optional(),
  /** Inbound handshakes during the trial that were full (a new session) and that resumed one (warm-up included). */
  serverFullHandshakes: z.number().int().nonnegative().optional(),
  serverResumedHandshakes: z.number().int().nonnegative().optional(),
  rotations: z.array(z.object({ epochMs: z.number(), ok: z.boolean(), error: z.string().optional(), newSerials: z.array(z.string()) })),
  /** TLS failures of the trial: lines the sidecars logged (HAProxy: "SSL handshake failure …"), or the ssl.* failure counters that moved (Envoy). */
  handshakeFailures: z.array(z.string()),
});

const counter = z.number().int().nonnegative();
/** Envoy's upstream_rq_time: log-linear buckets in ms, each with its count. */
const rqTimeBucketSchema = z.object({ lowerBoundMs: z.number().nonnegative(), widthMs: z.number().nonnegative(), count: counter });
/** A hop's TLS side, in Envoy's ssl.* vocabulary. */
const sslCountersSchema = z.object({
  handshake: counter,
  sessionReused: counter,
  connectionError: counter,
  failVerifyNoCert: counter,
  failVerifyError: counter,
  failVerifySan: counter,
});
/** One direction through a sidecar: its listener (downstream) and the cluster it forwards to (upstream). */
const hopStatsSchema = z.object({
  downstreamCxTotal: counter,
  downstreamRqTotal: counter,
  upstreamCxTotal: counter,
  upstreamRqTotal: counter,
  ssl: sslCountersSchema.optional(),
  upstreamRqTimeMs: z.array(rqTimeBucketSchema),
});
/** A sidecar's counters: cumulative (a snapshot) or over a trial (the difference of two). */
export const sidecarStatsSchema = z.object({ inbound: hopStatsSchema, outbound: hopStatsSchema });
/** What one sidecar's proxy counted during a trial (warm-up included), from its driver's stats reader. */
const trialProxyStatsSchema = sidecarStatsSchema.extend({ pod: z.enum(['client', 'server']), source: z.string() });

/** A proxy limit that refused traffic during a trial (e.g. Envoy's upstream_rq_pending_overflow): the cause of its errors. */
const trialLimitHitSchema = z.object({ pod: z.enum(['client', 'server']), counter: z.string(), count: z.number().int().positive() });
export type TrialLimitHit = z.infer<typeof trialLimitHitSchema>;

/**
 * What one sidecar logged about requests it ended abnormally during a trial (warm-up included):
 * HAProxy's termination state (first two characters of %tsc: "sH" a server timeout before headers,
 * "SC" a refused connect …) or Envoy's response flags ("UT", "UF", "UC", "URX", "DC" …).
 */
const trialProxyTerminationsSchema = z.object({
  pod: z.enum(['client', 'server']),
  /** Where the records come from, e.g. "haproxy log (termination state)". */
  source: z.string(),
  /** Requests by the proxy's own code. */
  counts: z.record(z.string(), counter),
  /** A few distinct lines as logged (also the proxy's alerts, e.g. "no free ports"). */
  lines: z.array(z.string()),
});
export type TrialProxyTerminations = z.infer<typeof trialProxyTerminationsSchema>;

/** Optional closed-model burst after the main load: the throughput the topology saturates at. */
const trialSaturationSchema = z.object({
  connections: z.number().int().positive(),
  seconds: z.number().positive(),
  responses: z.number().int().nonnegative(),
  rps: z.number().nonnegative(),
  errors: z.number().int().nonnegative(),
});

/** Optional closed loop on the same pods after the main load (load.closedCheck): the overhead re-checked without a rate. */
const trialClosedCheckSchema = z.object({ connections: z.number().int().positive(), load: trialLoadSchema });

/** A rate sweep's step index (results.sweep says its rate per arm); absent outside sweeps. */
const trialStepSchema = z.number().int().nonnegative().optional();

/** freshPodsEvery: which set of the arm's pods the trial ran on (0: the first); absent without fresh pods. */
const trialPodSetSchema = z.number().int().nonnegative().optional();

const okTrialSchema = z.object({
  state: z.literal('ok'),
  topology: z.string(),
  round: z.number().int().nonnegative(),
  step: trialStepSchema,
  podSet: trialPodSetSchema,
  startedAt: z.string(),
  load: trialLoadSchema,
  tls: trialTlsSchema.optional(),
  proxyStats: z.array(trialProxyStatsSchema).optional(),
  /** Each sidecar's records of requests it ended abnormally (absent: no sidecar, or its driver cannot tell). */
  proxyTerminations: z.array(trialProxyTerminationsSchema).optional(),
  /** Proxy limits hit during the trial (absent: the proxy cannot tell, or none was hit). */
  limitHits: z.array(trialLimitHitSchema).optional(),
  saturation: trialSaturationSchema.optional(),
  bpf: z.object({ counters: bpfCountersSchema }).optional(),
  closedCheck: trialClosedCheckSchema.optional(),
  /** The kernel's "nf_conntrack: table full in netns N, dropping packet" messages during the trial, per pod (rate-limited: a lower bound); absent: none, or the log unreadable (not root). */
  kernelLog: z.array(z.object({ pod: z.string(), netns: z.string(), tableFullMessages: z.number().int().positive(), lines: z.array(z.string()) })).optional(),
  resources: z.object({
    intervalMs: z.number().positive(),
    samples: z.array(resourceSampleSchema),
    /** The host's net.netfilter.nf_conntrack_max during the trial (a global limit each netns counts against). */
    conntrackMax: z.number().int().nonnegative().optional(),
  }),
});

const failedTrialSchema = z.object({
  state: z.literal('failed'),
  topology: z.string(),
  round: z.number().int().nonnegative(),
  step: trialStepSchema,
  podSet: trialPodSetSchema,
  startedAt: z.string(),
  error: z.object({ code: z.string().optional(), message: z.string() }),
  /** SB_OOM_KILLED: the containers the kernel killed for memory in this trial. */
  oomKills: z.array(oomKillRecordSchema).optional(),
  /** ebpf arms: the counters of a trial that failed because the programs did nothing. */
  bpf: z.object({ counters: bpfCountersSchema }).optional(),
});

export const trialRecordSchema = z.discriminatedUnion('state', [okTrialSchema, failedTrialSchema]);

/** What the stall probe saw just before the trials (src/host/stall-probe.ts). */
export const hostStallsSchema = z.object({
  probeMs: z.number().positive(),
  /** Gaps at least this long count as stalls. */
  thresholdUs: z.number().positive(),
  perCpu: z.array(
    z.object({
      cpu: z.number().int().nonnegative(),
      /** Share of the watched time lost to stalls. */
      stalledShare: z.number().nonnegative(),
      /** Stalls of 1 ms or more per second. */
      longStallsPerSecond: z.number().nonnegative(),
      maxStallUs: z.number().nonnegative(),
    }),
  ),
});
export type HostStalls = z.infer<typeof hostStallsSchema>;

/** What waking an idle CPU cost just before the trials (src/host/wake-probe.ts); round trips in µs. */
export const hostWakeUpSchema = z.object({
  /** [sender, echo]. */
  cpus: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  /** The idle gap before each round trip of the idle mode, ms (the gap between requests at the rate). */
  pauseMs: z.number().positive(),
  roundTrips: z.number().int().positive(),
  busyRoundTripUs: z.object({ p50: z.number().nonnegative(), p90: z.number().nonnegative() }),
  idleRoundTripUs: z.object({ p50: z.number().nonnegative(), p90: z.number().nonnegative() }),
});
export type HostWakeUp = z.infer<typeof hostWakeUpSchema>;

export const hostFingerprintSchema = z.object({
  cpuModel: z.string(),
  logicalCores: z.number().int().positive(),
  aesNi: z.boolean(),
  avx2: z.boolean(),
  kernel: z.string(),
  os: z.string(),
  dockerVersion: z.string(),
  nodeVersion: z.string(),
  cgroupVersion: z.union([z.literal(1), z.literal(2)]),
  /** The machine's own stalls, probed before the trials; absent when the probe could not run. */
  stalls: hostStallsSchema.optional(),
  /** The price of waking idle CPUs, probed before the trials; absent when not probed. */
  wakeUp: hostWakeUpSchema.optional(),
  /** /sys/devices/system/cpu/cpuidle/current_driver ("none": idle is the bare halt, which no PM QoS request changes). */
  cpuIdleDriver: z.string().optional(),
});

export const calibrationPlanSchema = z.object({
  /** The arm with D = 0 every delayed arm is compared with. */
  referenceArm: z.string(),
  /** A second D = 0 arm: the A/A check. */
  aaArm: z.string(),
  delayedArms: z.array(z.object({ arm: z.string(), delayUs: z.number().positive() })),
});
export type CalibrationPlan = z.infer<typeof calibrationPlanSchema>;

export const roundsRecordSchema = z.object({
  min: z.number().int().positive(),
  max: z.number().int().positive(),
  /** Wall-time budget for the trials, µs. */
  budgetUs: z.number().positive().optional(),
  /** Rounds that ran (every arm runs once per round). */
  used: z.number().int().nonnegative(),
  /** decided: every check passed or failed, or one failed; max-rounds / time-budget: spent; cut-short: interrupted or failed. */
  stop: z.enum(['decided', 'max-rounds', 'time-budget', 'cut-short']),
  /** The reason in words, e.g. "every check decided after 9 rounds". */
  detail: z.string(),
});
export type RoundsRecord = z.infer<typeof roundsRecordSchema>;

/** A rate sweep as it ran: per arm, the rate and pool of each step it took, and why it stopped. */
export const sweepRecordSchema = z.object({
  slo: z.object({ p99Us: z.number().positive(), maxErrorRate: z.number().nonnegative() }),
  arms: z.array(
    z.object({
      arm: z.string(),
      steps: z.array(z.object({ step: z.number().int().nonnegative(), targetRps: z.number().positive(), connections: z.number().int().positive() })),
      /** Why this arm's sweep ended, in words (sweep-planner.ts). */
      stop: z.string(),
    }),
  ),
});
export type SweepRecord = z.infer<typeof sweepRecordSchema>;

export const resultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('sidecar-bench'), version: z.string() }),
  run: z.object({
    id: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    status: z.enum(['complete', 'interrupted', 'failed']),
    error: z.object({ code: z.string().optional(), message: z.string() }).optional(),
  }),
  /** The resolved scenario as run (units already converted). */
  scenario: z.looseObject({ name: z.string(), topologies: z.array(z.string()) }),
  host: hostFingerprintSchema,
  images: z.record(z.string(), z.object({ tag: z.string(), id: z.string() })),
  /** Versions of the proxies as they report themselves: per profile, or per arm when arms of one profile differ (each arm's own is in topologies[].proxy). */
  proxyVersions: z.record(z.string(), z.string()),
  topologies: z.array(topologyRecordSchema),
  /** The topology every overhead is measured against; "app-only" when absent. */
  baseline: z.string().optional(),
  /** Present for a `sidecar-bench calibrate` run. */
  calibration: calibrationPlanSchema.optional(),
  /** A paired run: each sidecar topology also ran as "<name><suffix>" with the baseline scenario's settings. */
  pairing: z.object({ suffix: z.string(), baselineScenario: z.looseObject({ name: z.string() }) }).optional(),
  /** Present when the run has mtls topologies: the trust domain and identities (never keys). */
  mtls: z
    .object({
      trustDomain: z.string(),
      clientSpiffeId: z.string(),
      serverSpiffeId: z.string(),
      keyAlgorithm: z.string(),
      tlsVersion: z.string(),
      cipher: z.string().optional(),
      /** How the proxy checks the peer's identity, in words, for the report. */
      identityCheck: z.string(),
      caCertificatePem: z.string(),
    })
    .optional(),
  /** Adaptive rounds (scenario gates.rounds): how many rounds the run took and why it stopped. */
  rounds: roundsRecordSchema.optional(),
  /** A capacity run (scenario sweep:): the steps each arm took. */
  sweep: sweepRecordSchema.optional(),
  trials: z.array(trialRecordSchema),
  /** Derived from the fields above by the analysis stage; kept for readers of the JSON. */
  summary: z.unknown(),
});

export type Results = z.infer<typeof resultsSchema>;
export type TrialRecord = z.infer<typeof trialRecordSchema>;
export type OkTrial = z.infer<typeof okTrialSchema>;
export type TrialTls = z.infer<typeof trialTlsSchema>;
export type SidecarStats = z.infer<typeof sidecarStatsSchema>;
export type HopStats = SidecarStats['inbound'];
export type SslCounters = NonNullable<HopStats['ssl']>;
export type RqTimeBucket = HopStats['upstreamRqTimeMs'][number];
export type TrialProxyStats = z.infer<typeof trialProxyStatsSchema>;
export type TrialSaturation = z.infer<typeof trialSaturationSchema>;
export type TrialClosedCheck = z.infer<typeof trialClosedCheckSchema>;
export type TopologyRecord = z.infer<typeof topologyRecordSchema>;
export type TopologyBpf = z.infer<typeof topologyBpfSchema>;
export type BpfCounters = z.infer<typeof bpfCountersSchema>;
export type PodRecord = z.infer<typeof podRecordSchema>;
export type ContainerRecord = z.infer<typeof containerRecordSchema>;
export type HostFingerprint = z.infer<typeof hostFingerprintSchema>;
