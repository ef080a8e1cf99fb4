/**
 * What one arm's load asks of its protocol: streams per connection and the gRPC method. An arm
 * speaking the scenario's load.protocol takes the load's own settings; an arm speaking another
 * protocol (arms[].protocol) takes that protocol's section of `load:` (load.http2, load.grpc), so
 * one scenario can run gRPC multiplexed beside HTTP/1.1 (scenarios/protocols.yaml).
 */
import type { GrpcMethod, LoadProtocol } from './protocols.js';

/** load.http2 / load.grpc for arms whose protocol is not load.protocol (only those sections are kept). */
export interface ProtocolSettings {
  http2?: { streamsPerConnection: number };
  grpc?: { streamsPerConnection: number; grpcMethod: GrpcMethod };
}

/** The protocol fields of a scenario's load (LoadSpec and the agent's spec share them). */
export interface ProtocolFields {
  protocol?: LoadProtocol;
  streamsPerConnection?: number;
  grpcMethod?: GrpcMethod;
  protocolSettings?: ProtocolSettings;
}

/**
 * The streams per connection (1 when the protocol has none or nothing was asked) and, for gRPC,
 * the method, that an arm speaking `protocol` uses under this load.
 */
export function armProtocolLoad(load: ProtocolFields, protocol: LoadProtocol): { streamsPerConnection: number; grpcMethod?: GrpcMethod } {
  if (protocol === (load.protocol ?? 'http1')) {
    return { streamsPerConnection: load.streamsPerConnection ?? 1, ...(load.grpcMethod ? { grpcMethod: load.grpcMethod } : {}) };
  }
  if (protocol === 'http2') return { streamsPerConnection: load.protocolSettings?.http2?.streamsPerConnection ?? 1 };
  if (protocol === 'grpc') return { streamsPerConnection: load.protocolSettings?.grpc?.streamsPerConnection ?? 1, grpcMethod: load.protocolSettings?.grpc?.grpcMethod ?? 'Unary' };
  return { streamsPerConnection: 1 };
}
