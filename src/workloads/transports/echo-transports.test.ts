import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { attachWebSocketEcho, startTcpEcho } from '../echo-servers.js';
import { ECHO_MISMATCH_STATUS, ECHO_OK_STATUS } from './echo-connection.js';
import { tcpTransport } from './tcp.js';
import type { Outcome, TransportConnection } from './transport.js';
import { websocketTransport } from './websocket.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const spec = (port: number, messageBytes: number, timeoutUs = 5_000_000): AgentSpec => ({
  model: 'closed',
  host: '127.0.0.1',
  port,
  method: 'GET',
  path: '/',
  requestBodyBytes: 0,
  connections: 1,
  warmupUs: 0,
  durationUs: 1_000_000,
  timeoutUs,
  messageBytes,
});

const sendOne = (connection: TransportConnection) => new Promise<Outcome>((resolve) => connection.send(resolve));

async function listen<T extends TcpServer | HttpServer>(server: T): Promise<number> {
  cleanups.push(() => server.close());
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A TCP server that reads everything and answers with whatever `answer` returns for the connection's n-th chunk. */
async function rawServer(onData: (socket: Socket, count: number) => void): Promise<number> {
  const sockets: Socket[] = [];
  let count = 0;
  const server = createTcpServer((socket) => {
    sockets.push(socket);
    socket.on('data', () => onData(socket, ++count));
  });
  cleanups.push(() => sockets.forEach((socket) => socket.destroy()));
  return listen(server);
}

describe('the TCP transport', () => {
  it('echoes fixed-size messages on one connection, each with the app’s in-band service time', async () => {
    const server = startTcpEcho(0, 0);
    await new Promise((resolve) => server.once('listening', resolve));
    const port = await listen(server);
    const connection = await tcpTransport(spec(port, 1024)).open();
    cleanups.push(() => connection.close());
    expect(connection.maxInFlight).toBe(1);
    const outcomes = [await sendOne(connection), await sendOne(connection)];
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ kind: 'response', ok: true, status: ECHO_OK_STATUS, bytes: 8 + 1024 });
      expect(outcome.kind === 'response' && outcome.serviceTimes.appServiceTimeUs).toBeGreaterThanOrEqual(0);
      expect(outcome.kind === 'response' && outcome.serviceTimes.upstreamServiceTimeUs).toBeUndefined();
    }
  });

  it('fails a message the server drops the connection on, then reconnects for the next one', async () => {
    const port = await rawServer((socket, count) => {
      if (count === 1) socket.destroy();
      else socket.write(Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, 120]));
    });
    const connection = await tcpTransport(spec(port, 1)).open();
    cleanups.push(() => connection.close());
    expect(await sendOne(connection)).toStrictEqual({ kind: 'connection-error', message: 'connection closed before the response' });
    expect(await sendOne(connection)).toMatchObject({ kind: 'response', ok: true, serviceTimes: { appServiceTimeUs: 9 } });
  });

  it('times a silent server out, and does not take its late answer for the next request’s', async () => {
    const port = await rawServer((socket, count) => {
      // The first request is answered late, on its old connection; the second at once.
      const answer = Buffer.from([0, 0, 0, 1, 0, 0, 0, count, 120]);
      if (count === 1) setTimeout(() => socket.destroyed || socket.write(answer), 150);
      else socket.write(answer);
    });
    const connection = await tcpTransport(spec(port, 1, 50_000)).open();
    cleanups.push(() => connection.close());
    expect(await sendOne(connection)).toStrictEqual({ kind: 'timeout' });
    expect(await sendOne(connection)).toMatchObject({ kind: 'response', serviceTimes: { appServiceTimeUs: 2 } });
  });

  it('counts an echo of another size as a failure', async () => {
    const port = await rawServer((socket) => socket.write(Buffer.from([0, 0, 0, 0, 0, 0, 0, 1])));
    const connection = await tcpTransport(spec(port, 16)).open();
    cleanups.push(() => connection.close());
    expect(await sendOne(connection)).toMatchObject({ kind: 'response', ok: false, status: ECHO_MISMATCH_STATUS });
  });

  it('refuses to open when nothing listens', async () => {
    const port = await rawServer(() => undefined);
    cleanups.splice(0).forEach((cleanup) => cleanup());
    await expect(tcpTransport(spec(port, 1)).open()).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('the WebSocket transport', () => {
  it('times the Upgrade apart and echoes messages on one long-lived connection', async () => {
    const server = createHttpServer((_, response) => response.end());
    attachWebSocketEcho(server, 0);
    const upgrades: string[] = [];
    server.on('upgrade', (request) => upgrades.push(request.headers.upgrade ?? ''));
    const port = await listen(server);
    const setups: number[] = [];
    const connection = await websocketTransport(spec(port, 512), (setupUs) => setups.push(setupUs)).open();
    cleanups.push(() => connection.close());
    const outcomes = [await sendOne(connection), await sendOne(connection), await sendOne(connection)];
    expect(outcomes.map((outcome) => outcome.kind === 'response' && [outcome.ok, outcome.status, outcome.bytes])).toStrictEqual(Array(3).fill([true, ECHO_OK_STATUS, 4 + 512]));
    expect(upgrades).toStrictEqual(['websocket']);
    expect(setups).toHaveLength(1);
    expect(setups[0]).toBeGreaterThan(0);
  });

  it('refuses to open when the Upgrade is answered with an HTTP error, naming the status', async () => {
    const server = createHttpServer((_, response) => response.end());
    server.on('upgrade', (_request, socket) => socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n'));
    const port = await listen(server);
    await expect(websocketTransport(spec(port, 8)).open()).rejects.toThrow('WebSocket upgrade answered 503 instead of 101');
  });

  it('fails the message on a connection the server closes, and opens a new one (timed again) for the next', async () => {
    const server = createHttpServer((_, response) => response.end());
    const wss = attachWebSocketEcho(server, 0);
    let first = true;
    wss.on('connection', (socket) => {
      if (!first) return;
      first = false;
      socket.removeAllListeners('message');
      socket.on('message', () => socket.terminate());
    });
    const port = await listen(server);
    const setups: number[] = [];
    const connection = await websocketTransport(spec(port, 8), (setupUs) => setups.push(setupUs)).open();
    cleanups.push(() => connection.close());
    expect(await sendOne(connection)).toMatchObject({ kind: 'connection-error' });
    expect(await sendOne(connection)).toMatchObject({ kind: 'response', ok: true });
    expect(setups).toHaveLength(2);
  });
});
