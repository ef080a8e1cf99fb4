/**
 * gRPC unary calls through @grpc/grpc-js: each connection is one channel (its own subchannel pool,
 * so N connections are N HTTP/2 connections) carrying up to `streamsPerConnection` calls at once.
 *
 * Every call that ends with a gRPC status is a response counted under "grpc:<code>" (grpc:0 is
 * OK, the only success); DEADLINE_EXCEEDED (the per-request timeout, set as the call's deadline)
 * counts as a timeout, as for every other transport. A broken connection ends its calls with
 * UNAVAILABLE (grpc:14), which is how gRPC clients see it; grpc-js reconnects by itself.
 */
import { credentials, status as grpcStatus, type Client, type Metadata, type ServiceError } from '@grpc/grpc-js';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { loadBenchService } from '../grpc/bench-service.js';
import { serviceTimesOfRecord } from '../loadgen-recorder.js';
import type { Outcome, Transport, TransportConnection } from './transport.js';

type UnaryMethod = (request: { payload: Buffer }, options: { deadline: number }, callback: (error: ServiceError | null, reply?: { payload?: Buffer }) => void) => { on(event: 'metadata', listener: (metadata: Metadata) => void): void };

/** Waiting for the first connection of a channel: as long as the request timeout, at least 5 s. */
const MIN_CONNECT_TIMEOUT_MS = 5_000;

/** gRPC to spec.host:spec.port, method spec.grpcMethod (default Unary) of proto/bench.proto. */
export function grpcTransport(spec: AgentSpec, protoPath?: string): Transport {
  const Bench = loadBenchService(protoPath);
  return {
    open: async () => {
      const client = new Bench(`${spec.host}:${spec.port}`, credentials.createInsecure(), {
        // One connection per channel: without it grpc-js shares one subchannel between every client to the same target.
        'grpc.use_local_subchannel_pool': 1,
      });
      const timeoutMs = Math.max(MIN_CONNECT_TIMEOUT_MS, spec.timeoutUs / 1000);
      await new Promise<void>((resolve, reject) =>
        client.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(new Error(`gRPC ${spec.host}:${spec.port}: ${error.message}`)) : resolve())),
      );
      return new GrpcConnection(spec, client);
    },
  };
}

class GrpcConnection implements TransportConnection {
  readonly maxInFlight: number;
  private closed = false;
  private readonly payload: Buffer;
  private readonly method: UnaryMethod;
  private readonly timeoutMs: number;

  constructor(
    spec: AgentSpec,
    private readonly client: Client,
  ) {
    this.maxInFlight = spec.streamsPerConnection ?? 1;
    this.payload = Buffer.alloc(spec.requestBodyBytes, 'b');
    const name = spec.grpcMethod ?? 'Unary';
    this.method = (client as unknown as Record<string, UnaryMethod>)[name]?.bind(client) as UnaryMethod;
    if (!this.method) throw new Error(`the gRPC service has no method ${name}`);
    this.timeoutMs = spec.timeoutUs / 1000;
  }

  send(done: (outcome: Outcome) => void): void {
    if (this.closed) return;
    let metadata: Metadata | undefined;
    const call = this.method({ payload: this.payload }, { deadline: Date.now() + this.timeoutMs }, (error, reply) => {
      if (this.closed) return;
      if (error?.code === grpcStatus.DEADLINE_EXCEEDED) return done({ kind: 'timeout' });
      const headers = headerRecord(metadata ?? error?.metadata);
      done({
        kind: 'response',
        ok: !error,
        status: `grpc:${error ? error.code : grpcStatus.OK}`,
        bytes: reply?.payload?.length ?? 0,
        serviceTimes: serviceTimesOfRecord(headers),
        headers,
      });
    });
    call.on('metadata', (received) => (metadata = received));
  }

  close(): void {
    this.closed = true;
    this.client.close();
  }
}

/** Metadata as a header record (text values only; binary "-bin" entries are left out). */
function headerRecord(metadata: Metadata | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (!metadata) return record;
  for (const [name, value] of Object.entries(metadata.getMap())) if (typeof value === 'string') record[name] = value;
  return record;
}
