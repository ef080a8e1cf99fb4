// The topology names and descriptions live in the topology catalog; the scenario schema validates against them.
export { TOPOLOGY_NAMES, TOPOLOGY_DESCRIPTIONS, MTLS_TOPOLOGIES, type TopologyName } from '../topology/catalog.js';

export const PROXY_PROFILE_NAMES = ['haproxy', 'envoy'] as const;
export type ProxyProfileName = (typeof PROXY_PROFILE_NAMES)[number];
