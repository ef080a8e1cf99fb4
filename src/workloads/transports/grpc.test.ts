import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { startGrpcServer } from '../app-h2.js';
import { loadBenchService } from '../grpc/bench-service.js';
import { grpcTransport } from './grpc.js';
import type { Outcome, TransportConnection } from './transport.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.tryShutdown(() => resolve()) : resolve()));
  server = undefined;
});

const spec = (port: number, fields: Partial<AgentSpec> = {}): AgentSpec => ({
  model: 'closed',
  protocol: 'grpc',
  host: '127.0.0.1',
  port,
  method: 'POST',
  path: '/',
  requestBodyBytes: 16,
  connections: 1,
  warmupUs: 0,
  durationUs: 1_000_000,
  timeoutUs: 10_000_000,
  ...fields,
});

const sendOne = (connection: TransportConnection) => new Promise<Outcome>((resolve) => connection.send(resolve));

async function serve(handler: (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<{ payload: Buffer }>) => void): Promise<number> {
  server = new Server();
  server.addService(loadBenchService().service, { Unary: handler });
  return new Promise<number>((resolve, reject) => server?.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))));
}

describe('the gRPC transport (@grpc/grpc-js, proto/bench.proto)', () => {
  it('calls Unary on the app’s server, concurrently on one channel, with its µs service time from the metadata', async () => {
    const app = await startGrpcServer(0, { body: Buffer.alloc(512, 'x'), serviceTimeMs: 5 }, '127.0.0.1');
    server = app.server;
    const { port } = app;
    const connection = await grpcTransport(spec(port, { streamsPerConnection: 64 })).open();
    expect(connection.maxInFlight).toBe(64);
    const outcomes = await Promise.all(Array.from({ length: 64 }, () => sendOne(connection)));
    connection.close();
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ kind: 'response', status: 'grpc:0', ok: true, bytes: 512 });
      if (outcome.kind === 'response') expect(outcome.serviceTimes.appServiceTimeUs).toBeGreaterThanOrEqual(4_000);
    }
  });

  it('counts a failed call under its gRPC status, not as a success', async () => {
    const port = await serve((_call, callback) => callback({ code: status.RESOURCE_EXHAUSTED, details: 'full' }));
    const connection = await grpcTransport(spec(port)).open();
    const outcome = await sendOne(connection);
    connection.close();
    expect(outcome).toMatchObject({ kind: 'response', status: `grpc:${status.RESOURCE_EXHAUSTED}`, ok: false });
  });

  it('ends a call past its deadline (the request timeout) as a timeout', async () => {
    const port = await serve(() => {});
    const connection = await grpcTransport(spec(port, { timeoutUs: 200_000 })).open();
    const outcome = await sendOne(connection);
    connection.close();
    expect(outcome.kind).toBe('timeout');
  });
});
