import type { ProxyProfileName, TopologyName } from './topologies.js';

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
}

export interface OpenLoadSpec extends Omit<ClosedLoadSpec, 'model'> {
  model: 'open';
  /** Scheduled sends per second, evenly spaced from the start of the run. */
  ratePerSecond: number;
  /** The connection pool; a request due while every connection is busy waits (and is late). */
  connections: number;
}

export type LoadSpec = ClosedLoadSpec | OpenLoadSpec;

/** A validated scenario with every unit resolved; downstream code never sees raw YAML. */
export interface Scenario {
  name: string;
  description: string;
  /** Path of the file it was read from, as given. */
  sourceFile: string;
  topologies: TopologyName[];
  proxy: {
    profile: ProxyProfileName;
    /** HAProxy nbthread, Envoy --concurrency. */
    workerThreads: number;
    /** Overrides the profile's image (a pullable reference for Envoy). */
    image?: string;
  };
  app: {
    responseBodyBytes: number;
    /** Fixed delay inside the app before it answers; 0 answers at once. */
    serviceTimeUs: number;
  };
  load: LoadSpec;
  /** Trials per topology, interleaved across topologies. */
  trials: number;
  sampling: { intervalUs: number };
  placement: { cpusets: 'split' | 'none' | { client: string; server: string } };
}
