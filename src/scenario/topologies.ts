/** The topologies sidecar-bench can build, in the order each adds one thing to the previous. */
export const TOPOLOGY_NAMES = ['app-only', 'sidecar-inbound', 'sidecar'] as const;
export type TopologyName = (typeof TOPOLOGY_NAMES)[number];

export const TOPOLOGY_DESCRIPTIONS: Record<TopologyName, string> = {
  'app-only': 'baseline: load generator → app, no proxy',
  'sidecar-inbound': 'server pod has an inbound sidecar (iptables redirect → proxy → app)',
  sidecar: 'both pods have a sidecar: client outbound proxy → server inbound proxy → app',
};

export const PROXY_PROFILE_NAMES = ['haproxy', 'envoy'] as const;
export type ProxyProfileName = (typeof PROXY_PROFILE_NAMES)[number];
