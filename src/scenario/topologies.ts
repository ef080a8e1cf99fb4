/** The topologies sidecar-bench can build, in the order each adds one thing to the previous. */
export const TOPOLOGY_NAMES = ['app-only', 'sidecar-inbound', 'sidecar', 'mtls', 'mtls-churn'] as const;
export type TopologyName = (typeof TOPOLOGY_NAMES)[number];

export const TOPOLOGY_DESCRIPTIONS: Record<TopologyName, string> = {
  'app-only': 'baseline: load generator → app, no proxy',
  'sidecar-inbound': 'server pod has an inbound sidecar (iptables redirect → proxy → app)',
  sidecar: 'both pods have a sidecar: client outbound proxy → server inbound proxy → app',
  mtls: 'as sidecar, with strict mTLS between the sidecars (SPIFFE X.509-SVIDs), connections kept alive',
  'mtls-churn': 'as mtls, with a new TLS connection between the sidecars for every request (handshake churn)',
};

/** Topologies whose sidecars talk mTLS to each other. */
export const MTLS_TOPOLOGIES: readonly TopologyName[] = ['mtls', 'mtls-churn'];

export const PROXY_PROFILE_NAMES = ['haproxy', 'envoy'] as const;
export type ProxyProfileName = (typeof PROXY_PROFILE_NAMES)[number];
