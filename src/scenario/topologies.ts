// The topology names and descriptions live in the topology catalog; the scenario schema validates against them.
export { TOPOLOGY_NAMES, TOPOLOGY_DESCRIPTIONS, MTLS_TOPOLOGIES, type TopologyName } from '../topology/catalog.js';

/** The proxies a scenario may name: the rows of the proxy registry. */
export { PROXY_NAMES as PROXY_PROFILE_NAMES, type ProxyName as ProxyProfileName } from '../proxies/registry.js';
