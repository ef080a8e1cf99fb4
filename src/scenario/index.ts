export { loadScenario, parseScenario, firstSweepRate } from './load-scenario.js';
export type { Scenario, PodResources, LoadSpec, ClosedLoadSpec, OpenLoadSpec, RequestSpec, CpusetPlacement, GatesSpec, GateSelector, ThresholdGate, RegressionGate, MtlsSpec, ProxySpec, ScenarioArm, SloSpec, SweepSpec, AppBindAddress } from './scenario.js';
export type { FindingKind } from './finding-kinds.js';
export { GATE_METRICS, GATE_METRIC_NAMES, GATE_STATISTICS, type GateMetric, type GateStatistic } from './gates-schema.js';
export { TOPOLOGY_NAMES, TOPOLOGY_DESCRIPTIONS, PROXY_PROFILE_NAMES, MTLS_TOPOLOGIES } from './topologies.js';
export type { TopologyName, ProxyProfileName } from './topologies.js';
export { parseDurationUs, parseSizeBytes, parseRatePerSecond } from './units.js';
