/**
 * The load agent's transports by protocol: one row per protocol, each a file of its own.
 */
import type { AgentSpec } from '../../load/agent-protocol.js';
import type { LoadProtocol } from '../../load/protocols.js';
import { grpcTransport } from './grpc.js';
import { http1Transport } from './http1.js';
import { http2Transport } from './http2.js';
import type { Transport } from './transport.js';

export type { Outcome, Transport, TransportConnection } from './transport.js';

const TRANSPORTS: Partial<Record<LoadProtocol, (spec: AgentSpec) => Transport>> = {
  http1: http1Transport,
  http2: http2Transport,
  grpc: (spec) => grpcTransport(spec),
};

/**
 * The transport the spec asks for (absent protocol: http1).
 *
 * @throws Error for a protocol this agent has no transport for
 */
export function transportFor(spec: AgentSpec): Transport {
  const protocol = spec.protocol ?? 'http1';
  const make = TRANSPORTS[protocol];
  if (!make) throw new Error(`the load agent has no ${protocol} transport`);
  return make(spec);
}
