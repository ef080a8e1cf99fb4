import type { InterceptionName } from '../interception/types.js';

/** The topologies sidecar-bench can build, in the order each adds one thing to the previous. */
export const TOPOLOGY_NAMES = ['app-only', 'sidecar-inbound', 'sidecar', 'mtls', 'mtls-churn', 'ebpf-sockmap', 'ebpf-connect', 'ebpf'] as const;
export type TopologyName = (typeof TOPOLOGY_NAMES)[number];

/**
 * What one topology's pods get. The planner, the runner, the schema and the report read these
 * fields; none of them checks a topology's name.
 */
export interface TopologyDefinition {
  name: TopologyName;
  /** One line for the report: the path a request takes. */
  description: string;
  /** The client pod runs an outbound sidecar next to the load generator. */
  clientSidecar: boolean;
  /** The server pod runs an inbound sidecar next to the app. */
  serverSidecar: boolean;
  /** How a pod's traffic reaches its sidecar (see src/interception/); 'none' when no pod has one. */
  interception: InterceptionName;
  /** What the two sidecars speak to each other: plaintext or strict mTLS (SPIFFE X.509-SVIDs). */
  peerTls: 'none' | 'mtls';
  /** Whether the client sidecar keeps its upstream connections alive or opens one per request. */
  upstreamReuse: 'keep-alive' | 'per-request';
}

/** The catalog: one row per topology. */
export const TOPOLOGY_CATALOG: Readonly<Record<TopologyName, TopologyDefinition>> = {
  'app-only': {
    name: 'app-only',
    description: 'baseline: load generator → app, no proxy',
    clientSidecar: false,
    serverSidecar: false,
    interception: 'none',
    peerTls: 'none',
    upstreamReuse: 'keep-alive',
  },
  'sidecar-inbound': {
    name: 'sidecar-inbound',
    description: 'server pod has an inbound sidecar (iptables redirect → proxy → app)',
    clientSidecar: false,
    serverSidecar: true,
    interception: 'iptables',
    peerTls: 'none',
    upstreamReuse: 'keep-alive',
  },
  sidecar: {
    name: 'sidecar',
    description: 'both pods have a sidecar: client outbound proxy → server inbound proxy → app',
    clientSidecar: true,
    serverSidecar: true,
    interception: 'iptables',
    peerTls: 'none',
    upstreamReuse: 'keep-alive',
  },
  mtls: {
    name: 'mtls',
    description: 'as sidecar, with strict mTLS between the sidecars (SPIFFE X.509-SVIDs), connections kept alive',
    clientSidecar: true,
    serverSidecar: true,
    interception: 'iptables',
    peerTls: 'mtls',
    upstreamReuse: 'keep-alive',
  },
  'mtls-churn': {
    name: 'mtls-churn',
    description: 'as mtls, with a new TLS connection between the sidecars for every request (handshake churn)',
    clientSidecar: true,
    serverSidecar: true,
    interception: 'iptables',
    peerTls: 'mtls',
    upstreamReuse: 'per-request',
  },
  'ebpf-sockmap': {
    name: 'ebpf-sockmap',
    description: 'as sidecar, with sockops + sk_msg moving each message socket to socket (loadgen ↔ sidecar, sidecar ↔ sidecar, sidecar ↔ app); iptables redirects kept',
    clientSidecar: true,
    serverSidecar: true,
    interception: 'ebpf-sockmap',
    peerTls: 'none',
    upstreamReuse: 'keep-alive',
  },
  'ebpf-connect': {
    name: 'ebpf-connect',
    description: 'as sidecar, with cgroup/connect4 + getsockopt (SO_ORIGINAL_DST) instead of the outbound iptables REDIRECT; inbound still iptables',
    clientSidecar: true,
    serverSidecar: true,
    interception: 'ebpf-connect',
    peerTls: 'none',
    upstreamReuse: 'keep-alive',
  },
  ebpf: {
    name: 'ebpf',
    description: 'as sidecar, with both: connect4 + getsockopt instead of the outbound REDIRECT, sockops + sk_msg socket-to-socket; inbound still iptables',
    clientSidecar: true,
    serverSidecar: true,
    interception: 'ebpf',
    peerTls: 'none',
    upstreamReuse: 'keep-alive',
  },
};

/** The catalog row of a topology. */
export function topologyDefinition(name: TopologyName): TopologyDefinition {
  return TOPOLOGY_CATALOG[name];
}

/** True when some pod of the topology runs a sidecar (so a proxy must answer on the request path). */
export function hasSidecar(name: TopologyName): boolean {
  const definition = TOPOLOGY_CATALOG[name];
  return definition.clientSidecar || definition.serverSidecar;
}

/** True when the topology's sidecars speak mTLS to each other (it needs SVIDs and a trust bundle). */
export function hasPeerTls(name: TopologyName): boolean {
  return TOPOLOGY_CATALOG[name].peerTls === 'mtls';
}

/** Each topology's description, for arms and reports. */
export const TOPOLOGY_DESCRIPTIONS: Readonly<Record<TopologyName, string>> = Object.fromEntries(
  TOPOLOGY_NAMES.map((name) => [name, TOPOLOGY_CATALOG[name].description]),
) as Record<TopologyName, string>;

/** Topologies whose sidecars talk mTLS to each other (derived from the catalog). */
export const MTLS_TOPOLOGIES: readonly TopologyName[] = TOPOLOGY_NAMES.filter(hasPeerTls);
