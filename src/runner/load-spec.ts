import type { AgentSpec } from '../load/agent-protocol.js';
import type { LoadProtocol } from '../load/protocols.js';
import { armProtocolLoad } from '../load/protocol-load.js';
import type { Scenario } from '../scenario/index.js';
import type { TopologyPlan } from '../runtime/topology.js';

/** What every trial of a scenario asks the load agent for (the target host and port are per topology). */
export function agentLoadOf(scenario: Scenario): Omit<AgentSpec, 'host' | 'port'> {
  const { load } = scenario;
  return {
    model: load.model,
    ...(load.model === 'open' ? { ratePerSecond: load.ratePerSecond, arrivals: load.arrivals } : {}),
    ...(load.protocol ? { protocol: load.protocol } : {}),
    ...(load.streamsPerConnection ? { streamsPerConnection: load.streamsPerConnection } : {}),
    ...(load.grpcMethod ? { grpcMethod: load.grpcMethod } : {}),
    ...(load.protocolSettings ? { protocolSettings: load.protocolSettings } : {}),
    ...(load.messageBytes !== undefined ? { messageBytes: load.messageBytes } : {}),
    method: load.request.method,
    path: load.request.path,
    requestBodyBytes: load.request.bodyBytes,
    connections: load.connections,
    warmupUs: load.warmupUs,
    durationUs: load.durationUs,
    timeoutUs: load.timeoutUs,
  };
}

/**
 * One arm's load: the scenario's, speaking the arm's protocol (http1 stays unmarked, as before
 * protocols), with that protocol's streams per connection and gRPC method (armProtocolLoad).
 */
export function armLoadOf(load: Omit<AgentSpec, 'host' | 'port'>, protocol: LoadProtocol): Omit<AgentSpec, 'host' | 'port'> {
  const { protocol: _scenarioProtocol, protocolSettings: _settings, streamsPerConnection: _streams, grpcMethod: _method, ...rest } = load;
  const { streamsPerConnection, grpcMethod } = armProtocolLoad(load, protocol);
  return {
    ...rest,
    ...(protocol === 'http1' ? {} : { protocol }),
    ...(streamsPerConnection > 1 ? { streamsPerConnection } : {}),
    ...(grpcMethod ? { grpcMethod } : {}),
  };
}

/** The load of a planned arm: its protocol's, and a new connection per request where the arm asks for one. */
export function planLoadOf(load: Omit<AgentSpec, 'host' | 'port'>, plan: Pick<TopologyPlan, 'protocol' | 'keepAlive'>): Omit<AgentSpec, 'host' | 'port'> {
  const armLoad = armLoadOf(load, plan.protocol);
  return plan.keepAlive === false ? { ...armLoad, keepAlive: false } : armLoad;
}
