import type { GrpcMethod, LoadProtocol } from '../load/protocols.js';
import type { ProtocolSettings } from '../load/protocol-load.js';
import type { FindingKind } from './finding-kinds.js';
import type { GateEstimator, GateMetric, GateStatistic } from './gates-schema.js';
import type { ContainerResources } from '../kubernetes/index.js';
import type { ProxyProfileName, TopologyName } from './topologies.js';
import type { NotrackScope } from '../interception/notrack.js';

/**
 * Kubernetes `resources:` per container role, CPU in millicores and memory in bytes; a role
 * absent runs unconstrained (no CPU shares, quota or memory limit set).
 */
export interface PodResources {
  sidecar?: ContainerResources;
  app?: ContainerResources;
}

/** The trust domain and TLS settings of the mtls topologies. */
export interface MtlsSpec {
  trustDomain: string;
  namespace: string;
  clientServiceAccount: string;
  serverServiceAccount: string;
  keyAlgorithm: 'ecdsa-p256' | 'rsa-2048';
  svidTtlUs: number;
  tlsVersion: '1.2' | '1.3';
  cipher?: string;
  rotateDuringTrial: boolean;
  /** false: no TLS session resumption between the sidecars; every new connection is a full handshake. */
  sessionResumption: boolean;
}

/** What a gate looks at: a metric of a topology (or "*": every topology it applies to). */
export interface GateSelector {
  topology: string;
  metric: GateMetric;
  statistic?: GateStatistic;
  estimator: GateEstimator;
  role: 'sidecar' | 'app' | 'loadgen';
  vs?: string;
}

/** An absolute limit, checked against the confidence bound on the unsafe side. */
export interface ThresholdGate extends GateSelector {
  bound: 'max' | 'min';
  /** In the metric's base unit: µs, bytes, a fraction, or a plain number. */
  limit: number;
  /** As written in the file, e.g. "2ms". */
  limitText: string;
}

/** A limit on how much worse than a baseline the candidate may be. */
export interface RegressionGate extends GateSelector {
  /** Allowed worsening as a share of the baseline's median. */
  toleranceShare: number;
  /** …but never less than this, in the metric's base unit. */
  floor: number;
}

export interface GatesSpec {
  inconclusive: 'pass' | 'fail';
  confidence: number;
  thresholds: ThresholdGate[];
  /** Absent: a default set is used when a baseline is given. */
  regressions?: RegressionGate[];
  /**
   * Adaptive rounds: at least `min`, then more while a check is inconclusive, up to `max` (and the
   * wall-time budget for the trials, µs, if any). Absent: the scenario's fixed `trials`.
   */
  rounds?: { min: number; max: number; budgetUs?: number };
  /** Findings (src/analysis/findings/) whose presence fails the gate. */
  findings?: { failOn: FindingKind[] };
}

/** Which cores each pod may use; undefined means the pod is not pinned. */
export interface CpusetPlacement {
  clientCpus?: string;
  serverCpus?: string;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  bodyBytes: number;
}

export interface ClosedLoadSpec {
  model: 'closed';
  /** Concurrent keep-alive connections, each with one request in flight. */
  connections: number;
  /** Measured before the window and discarded. */
  warmupUs: number;
  durationUs: number;
  /** A request without a response after this long counts as a timeout. */
  timeoutUs: number;
  request: RequestSpec;
  /** What the load agent speaks (load.protocol); absent: http1 (results written before protocols have none). */
  protocol?: LoadProtocol;
  /** http2, grpc: concurrent streams per connection; absent: 1. */
  streamsPerConnection?: number;
  /** grpc: the method of proto/bench.proto the agent calls. */
  grpcMethod?: GrpcMethod;
  /** load.http2 / load.grpc when arms speak a protocol other than load.protocol (armProtocolLoad); absent otherwise. */
  protocolSettings?: ProtocolSettings;
  /** websocket and tcp: the payload of every echo message, in bytes (load.messageSize; absent: 1024). */
  messageBytes?: number;
  /** After each trial's main load, a closed-model burst with this many connections (throughput ceiling). */
  saturation?: { connections: number; durationUs: number };
  /**
   * After each trial's main load (before saturation), a closed loop with this many connections on
   * the same pods: an independent reading of the overhead (one connection: no queueing, no rate).
   */
  closedCheck?: { connections: number; durationUs: number };
}

export interface OpenLoadSpec extends Omit<ClosedLoadSpec, 'model'> {
  model: 'open';
  /** Scheduled sends per second, from the start of the run (the mean rate for Poisson arrivals). */
  ratePerSecond: number;
  /** uniform: evenly spaced; poisson: exponential gaps (seeded, repeatable). */
  arrivals: 'uniform' | 'poisson';
  /** The connection pool; a request due while every connection is busy waits (and is late). */
  connections: number;
}

export type LoadSpec = ClosedLoadSpec | OpenLoadSpec;

/** A sidecar proxy as an arm runs it. */
export interface ProxySpec {
  profile: ProxyProfileName;
  /** The proxy's release to run (a pinned version of the profile); absent: the profile's default. */
  version?: string;
  /** HAProxy nbthread, Envoy --concurrency. */
  workerThreads: number;
  /** Overrides the profile's image (a pullable reference for Envoy). */
  image?: string;
  /** A known fixed delay the server sidecar adds to every request (profiles that can add one). */
  addedDelayUs?: number;
  /** Each sidecar's route timeout (504 past it), µs in whole ms; absent: the proxies' 130 s. */
  routeTimeoutUs?: number;
  /**
   * pod-ip: the inbound sidecar sends the app's traffic to the connection's original destination,
   * the pod's own IP (Istio since 1.10), so an app listening on 127.0.0.1 only is refused. Absent:
   * 127.0.0.1:port (Istio before 1.10).
   */
  inboundEndpoint?: 'pod-ip';
}

/** The address the app listens on: every address of its pod, or loopback only. */
export type AppBindAddress = '0.0.0.0' | '127.0.0.1';

/**
 * One measured configuration of a run: a topology with its proxy. Arms are named (the name is
 * what gates and reports call it); an app-only arm has no proxy.
 */
export interface ScenarioArm {
  name: string;
  topology: TopologyName;
  /** Absent for app-only (no sidecar). */
  proxy?: ProxySpec;
  /** The arm's containers' resources: its own per role, else the scenario's (no sidecar entry for app-only). Absent: none. */
  resources?: PodResources;
  /** The arm's pods' network sysctls: its own, else the scenario's. Absent: the seed's (SEED_SYSCTLS). */
  sysctls?: Record<string, string>;
  /** What this arm's load speaks when it differs from load.protocol (`arms[].protocol`); compared with the app-only arm of the same protocol. */
  protocol?: LoadProtocol;
  /** `arms[].conntrack.notrack`: traffic of the arm's pods exempt from connection tracking. */
  notrack?: NotrackScope;
  /** Where this arm's app listens, when not on every address (its own app.bind, else the scenario's). */
  appBind?: '127.0.0.1';
  /** false: the load agent opens a new connection per request and closes it itself (`arms[].load.keepAlive`). */
  keepAlive?: false;
  /** The finding this arm reproduces on purpose; its start-up probe accepts that finding's answer (src/runner/fault-probe.ts). */
  fault?: FindingKind;
}

/** The objective a sweep's knee is judged against. */
export interface SloSpec {
  /** P99 latency limit of successful responses, µs. */
  p99Us: number;
  /** Failed requests / attempts, a share (0.001 = 0.1 %). */
  maxErrorRate: number;
}

/**
 * Capacity planning: the open model's rate swept per topology, `trials` interleaved rounds per
 * step. rates: the listed rates in ascending order; search: from `fromRps`, × `factor` while the
 * SLO is met, then bisection between the last rate met and the first missed, until the bracket is
 * narrower than `resolutionShare` or `maxSteps` steps ran. A topology stops once past its SLO.
 */
export type SweepSpec = (
  | { kind: 'rates'; ratesPerSecond: number[] }
  | { kind: 'search'; fromRps: number; toRps: number; maxSteps: number; factor: number; resolutionShare: number }
) & {
  /** Each step's connection pool is ceil(rate / 1000 · this); absent: load.connections at every step. */
  connectionsPer1kRps?: number;
  slo: SloSpec;
};

/** A validated scenario with every unit resolved; downstream code never sees raw YAML. */
export interface Scenario {
  name: string;
  description: string;
  /** Path of the file it was read from, as given. */
  sourceFile: string;
  /** The distinct topologies of the arms, in order. */
  topologies: TopologyName[];
  /** The run's default proxy: every arm that does not name its own runs this one. */
  proxy: ProxySpec;
  /** What is measured, interleaved round by round: from `arms:`, or one arm per entry of `topologies:`. */
  arms: ScenarioArm[];
  app: {
    responseBodyBytes: number;
    /** Fixed delay inside the app before it answers; 0 answers at once. */
    serviceTimeUs: number;
    /** false: Connection: close on every HTTP/1.1 answer (a new sidecar→app connection per request). Absent: true. */
    keepAlive?: boolean;
    /** Where the app listens (each arm's own is in arms[].appBind); absent: 0.0.0.0. */
    bind?: AppBindAddress;
  };
  load: LoadSpec;
  /** `resources:` as written for every arm (each arm's own, merged, is in arms[].resources). */
  resources?: PodResources;
  /** `sysctls:` as written for every pod (each arm's effective set is in arms[].sysctls). */
  sysctls?: Record<string, string>;
  /** Trials per topology, interleaved across topologies (with gates.rounds: its minimum). */
  trials: number;
  /** Rounds run before the measured ones and discarded (caches, JIT, connection pools warm up). */
  warmupRounds: number;
  /** Every this many measured rounds, every arm's pods are started afresh (schema.ts: freshPodsEvery). */
  freshPodsEvery?: number;
  sampling: { intervalUs: number };
  mtls: MtlsSpec;
  /** Present for a capacity run: load.ratePerSecond is then the first step's rate. */
  sweep?: SweepSpec;
  gates: GatesSpec;
  /** Keep CPUs out of deep idle during the run (PM QoS), for comparable, lower-noise figures. */
  host: {
    keepCpusAwake: boolean;
    /** The host's nf_conntrack_max during the trials (lowered, restored after); absent: left alone. */
    conntrackMax?: number;
  };
  placement: { cpusets: 'split' | 'none' | { client: string; server: string } };
}
