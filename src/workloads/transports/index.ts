/**
 * The load agent's transports by protocol: one row per protocol, each a file of its own.
 */
import type { AgentSpec } from '../../load/agent-protocol.js';
import type { LoadProtocol } from '../../load/protocols.js';
import { grpcTransport } from './grpc.js';
import { http1Transport } from './http1.js';
import { http2Transport } from './http2.js';
import { tcpTransport } from './tcp.js';
import type { Transport } from './transport.js';
import { websocketTransport } from './websocket.js';

export type { Outcome, Transport, TransportConnection } from './transport.js';

/** `onSetupUs`: each connection's setup time, where the protocol times it apart (WebSocket's Upgrade). */
type MakeTransport = (spec: AgentSpec, onSetupUs?: (setupUs: number) => void) => Transport;

const TRANSPORTS: Partial<Record<LoadProtocol, MakeTransport>> = {
  http1: http1Transport,
  http2: http2Transport,
  grpc: (spec) => grpcTransport(spec),
  websocket: websocketTransport,
  tcp: tcpTransport,
};

/**
 * The transport the spec asks for (absent protocol: http1).
 *
 * @throws Error for a protocol this agent has no transport for
 */
export function transportFor(spec: AgentSpec, onSetupUs?: (setupUs: number) => void): Transport {
  const protocol = spec.protocol ?? 'http1';
  const make = TRANSPORTS[protocol];
  if (!make) throw new Error(`the load agent has no ${protocol} transport`);
  return make(spec, onSetupUs);
}
