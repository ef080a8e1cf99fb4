/**
 * The application protocols the load agent speaks (load.protocol). Shared by the scenario, the
 * runner, the proxy drivers and the agent; no dependencies, so the agent's bundle stays small.
 */
export const LOAD_PROTOCOLS = ['http1', 'http2', 'grpc', 'websocket', 'tcp'] as const;
export type LoadProtocol = (typeof LOAD_PROTOCOLS)[number];

/** The gRPC methods of proto/bench.proto the agent can call. */
export const GRPC_METHODS = ['Unary'] as const;
export type GrpcMethod = (typeof GRPC_METHODS)[number];

/** The file name of the gRPC service definition next to the bundled agent and app (copied from proto/). */
export const BENCH_PROTO_FILE = 'bench.proto';
/** The gRPC service's full name in proto/bench.proto. */
export const BENCH_SERVICE = 'sidecarbench.v1.Bench';

/**
 * Protocols the load agent has a transport for (src/workloads/transports/index.ts; a unit test
 * keeps the two lists equal). The scenario refuses the others at load.
 */
export const AGENT_PROTOCOLS: readonly LoadProtocol[] = ['http1', 'http2', 'grpc', 'websocket', 'tcp'];

/** Protocols that multiplex requests as streams on one connection (load.<protocol>.streamsPerConnection). */
export const STREAMED_PROTOCOLS: readonly LoadProtocol[] = ['http2', 'grpc'];
