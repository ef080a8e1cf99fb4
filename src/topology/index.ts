export { TOPOLOGY_NAMES, TOPOLOGY_CATALOG, TOPOLOGY_DESCRIPTIONS, MTLS_TOPOLOGIES, topologyDefinition, hasSidecar, hasPeerTls } from './catalog.js';
export type { TopologyName, TopologyDefinition } from './catalog.js';
