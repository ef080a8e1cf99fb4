/**
 * The load agent's transports by protocol: one row per protocol, each a file of its own.
 */
import type { AgentSpec } from '../../load/agent-protocol.js';
import { http1Transport } from './http1.js';
import type { Transport } from './transport.js';

export type { Outcome, Transport, TransportConnection } from './transport.js';

/** The transport the spec asks for (today HTTP/1.1 only). */
export function transportFor(spec: AgentSpec): Transport {
  return http1Transport(spec);
}
