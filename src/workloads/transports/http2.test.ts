import { createServer, type Http2Server } from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { startH2cServer } from '../app-h2.js';
import { http2Transport } from './http2.js';
import type { Outcome, TransportConnection } from './transport.js';

let server: Http2Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const portOf = (listening: Http2Server) => (listening.address() as { port: number }).port;

const spec = (port: number, fields: Partial<AgentSpec> = {}): AgentSpec => ({
  model: 'closed',
  protocol: 'http2',
  host: '127.0.0.1',
  port,
  method: 'GET',
  path: '/',
  requestBodyBytes: 0,
  connections: 1,
  warmupUs: 0,
  durationUs: 1_000_000,
  timeoutUs: 10_000_000,
  ...fields,
});

const sendOne = (connection: TransportConnection) => new Promise<Outcome>((resolve) => connection.send(resolve));

describe('the HTTP/2 transport (node:http2, h2c)', () => {
  it('carries 1024 concurrent streams on one connection, each answered with the app’s service time', async () => {
    server = await startH2cServer(0, { body: Buffer.alloc(1024, 'x'), serviceTimeMs: 20 }, '127.0.0.1');
    let sessions = 0;
    let peakStreams = 0;
    let openStreams = 0;
    server.on('session', () => sessions++);
    server.on('stream', (stream) => {
      peakStreams = Math.max(peakStreams, ++openStreams);
      stream.on('close', () => openStreams--);
    });
    const connection = await http2Transport(spec(portOf(server), { streamsPerConnection: 1024 })).open();
    expect(connection.maxInFlight).toBe(1024);
    const outcomes = await Promise.all(Array.from({ length: 1024 }, () => sendOne(connection)));
    connection.close();
    expect(sessions).toBe(1);
    // Every answer waits 20 ms in the app: all 1024 were open on the server at once.
    expect(peakStreams).toBe(1024);
    const responses = outcomes.filter((outcome) => outcome.kind === 'response');
    expect(responses).toHaveLength(1024);
    for (const outcome of responses) {
      expect(outcome).toMatchObject({ status: '200', ok: true, bytes: 1024 });
      expect(outcome.serviceTimes.appServiceTimeUs).toBeGreaterThanOrEqual(19_000);
    }
  });

  it('sends a request body and reads a failure status', async () => {
    let received = 0;
    server = createServer();
    server.on('stream', (stream) => {
      stream.on('data', (chunk: Buffer) => (received += chunk.length));
      stream.on('end', () => {
        stream.respond({ ':status': 503, 'x-envoy-upstream-service-time': '4' });
        stream.end('down');
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const connection = await http2Transport(spec(portOf(server), { method: 'POST', requestBodyBytes: 3000 })).open();
    const outcome = await sendOne(connection);
    connection.close();
    expect(received).toBe(3000);
    expect(outcome).toMatchObject({ kind: 'response', status: '503', ok: false, bytes: 4, serviceTimes: { upstreamServiceTimeUs: 4000 } });
  });

  it('refuses a server that allows fewer concurrent streams than asked (a hidden cap), naming both numbers', async () => {
    server = createServer({ settings: { maxConcurrentStreams: 100 } });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    await expect(http2Transport(spec(portOf(server), { streamsPerConnection: 1024 })).open()).rejects.toThrow(/allows 100 concurrent HTTP\/2 streams per connection; load\.http2\.streamsPerConnection asks 1024/);
  });

  it('ends a stream without an answer as a timeout, and the connection keeps serving', async () => {
    let count = 0;
    server = createServer();
    server.on('stream', (stream) => {
      if (++count > 1) {
        stream.respond({ ':status': 200 });
        stream.end('ok');
      }
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const connection = await http2Transport(spec(portOf(server), { timeoutUs: 200_000 })).open();
    const startedMs = performance.now();
    const first = await sendOne(connection);
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(199);
    const second = await sendOne(connection);
    connection.close();
    expect(first.kind).toBe('timeout');
    expect(second).toMatchObject({ kind: 'response', status: '200', ok: true });
  });

  it('ends the streams of a connection the server drops as connection errors, then reconnects', async () => {
    let count = 0;
    server = createServer();
    server.on('stream', (stream) => {
      if (++count === 1) stream.session?.destroy();
      else {
        stream.respond({ ':status': 200 });
        stream.end('ok');
      }
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const connection = await http2Transport(spec(portOf(server))).open();
    const first = await sendOne(connection);
    const second = await sendOne(connection);
    connection.close();
    expect(first.kind).toBe('connection-error');
    expect(second).toMatchObject({ kind: 'response', status: '200' });
  });

  it('refuses a peer that closes the connection before its SETTINGS (a TLS port answering h2c), and one that never sends them', async () => {
    // What a strict mTLS port does with an h2c preface: reads it as a bad TLS record and closes.
    const closing = createNetServer((socket) => socket.once('data', () => socket.end()));
    const silent = createNetServer(() => {});
    const sockets: Socket[] = [];
    silent.on('connection', (socket) => sockets.push(socket));
    try {
      for (const listening of [closing, silent]) await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
      const port = (listening: NetServer) => (listening.address() as { port: number }).port;
      await expect(http2Transport(spec(port(closing))).open()).rejects.toThrow(/closed the connection before its HTTP\/2 SETTINGS/);
      await expect(http2Transport(spec(port(silent), { timeoutUs: 200_000 })).open()).rejects.toThrow(/no HTTP\/2 SETTINGS from 127\.0\.0\.1:\d+ within 200 ms/);
    } finally {
      for (const socket of sockets) socket.destroy();
      for (const listening of [closing, silent]) await new Promise<void>((resolve) => listening.close(() => resolve()));
    }
  });
});
