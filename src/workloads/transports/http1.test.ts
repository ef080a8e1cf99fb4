import Client from 'autocannon/lib/httpClient.js';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoopbackHttpServer } from './loopback-server.fixture.js';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { http1Transport } from './http1.js';
import type { Outcome } from './transport.js';

const loopback = new LoopbackHttpServer();
const serve = (handler: Parameters<LoopbackHttpServer['serve']>[0]) => loopback.serve(handler);
afterEach(() => loopback.close());

const spec = (port: number, timeoutUs = 10_000_000): AgentSpec => ({
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
});

const sendOne = (connection: { send(done: (outcome: Outcome) => void): void }) => new Promise<Outcome>((resolve) => connection.send(resolve));

describe('the HTTP/1.1 transport (autocannon’s client)', () => {
  it('answers each send once with the status and the service-time headers, on one connection', async () => {
    const remotePorts = new Set<number>();
    const port = await serve((request, response) => {
      remotePorts.add(request.socket.remotePort as number);
      response.writeHead(503, { 'x-app-service-time-us': '42', 'x-envoy-upstream-service-time': '2' });
      response.end('down');
    });
    const connection = await http1Transport(spec(port)).open();
    expect(connection.maxInFlight).toBe(1);
    const outcomes = [await sendOne(connection), await sendOne(connection), await sendOne(connection)];
    connection.close();
    expect(outcomes.map((outcome) => outcome.kind === 'response' && [outcome.status, outcome.ok, outcome.serviceTimes])).toStrictEqual(
      Array(3).fill(['503', false, { appServiceTimeUs: 42, upstreamServiceTimeUs: 2000 }]),
    );
    expect(remotePorts.size).toBe(1);
  });

  it('ends a request on a connection the server resets as a connection error, and sends the next one on a new connection', async () => {
    let count = 0;
    const port = await serve((request, response) => {
      count++;
      if (count === 1) request.socket.destroy();
      else response.end('ok');
    });
    const connection = await http1Transport(spec(port)).open();
    const first = await sendOne(connection);
    const second = await sendOne(connection);
    connection.close();
    expect(first.kind).toBe('connection-error');
    expect(first.kind === 'connection-error' && ['closed-before-response', 'ECONNRESET'].includes(first.errno ?? '')).toBe(true);
    expect(second).toMatchObject({ kind: 'response', status: '200', ok: true });
  });

  it('classifies a refused connect by its errno (ECONNREFUSED)', async () => {
    // A port that was just free: nothing listens on it any more.
    const port = await serve(() => {});
    await loopback.close();
    const connection = await http1Transport(spec(port)).open();
    const outcome = await sendOne(connection);
    connection.close();
    expect(outcome).toMatchObject({ kind: 'connection-error', errno: 'ECONNREFUSED' });
  });

  it('ends an unanswered request as a timeout after the per-request timeout', async () => {
    const port = await serve(() => {});
    const connection = await http1Transport(spec(port, 200_000)).open();
    const startedMs = performance.now();
    const outcome = await sendOne(connection);
    connection.close();
    expect(outcome.kind).toBe('timeout');
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(199);
  });

  it('keepAlive false: one connection per request, closed by the client once its response is in', async () => {
    const remotePorts: number[] = [];
    let endedByClient = 0;
    const port = await serve((request, response) => {
      remotePorts.push(request.socket.remotePort as number);
      // The server keeps connections alive: a socket that ends was ended by the client (its FIN).
      request.socket.once('end', () => endedByClient++);
      response.end('ok');
    });
    const connection = await http1Transport({ ...spec(port), keepAlive: false }).open();
    const outcomes = [await sendOne(connection), await sendOne(connection), await sendOne(connection)];
    await new Promise((resolve) => setTimeout(resolve, 50));
    connection.close();
    expect(outcomes.map((outcome) => outcome.kind === 'response' && outcome.status)).toStrictEqual(['200', '200', '200']);
    expect(new Set(remotePorts).size).toBe(3);
    expect(endedByClient).toBe(3);
  });

  it('keepAlive false: a failed connect costs its request and opens nothing more until the next send', async () => {
    const port = await serve(() => {});
    await loopback.close();
    const connects = vi.spyOn(net, 'connect');
    try {
      const connection = await http1Transport({ ...spec(port), keepAlive: false }).open();
      const first = await sendOne(connection);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const afterFirst = connects.mock.calls.length;
      const second = await sendOne(connection);
      await new Promise((resolve) => setTimeout(resolve, 100));
      connection.close();
      expect([first, second]).toMatchObject([
        { kind: 'connection-error', errno: 'ECONNREFUSED' },
        { kind: 'connection-error', errno: 'ECONNREFUSED' },
      ]);
      // The constructor's connection, and one per send: no reconnect loop while idle.
      expect(afterFirst).toBeLessThanOrEqual(2);
      expect(connects.mock.calls.length).toBe(afterFirst + 1);
    } finally {
      connects.mockRestore();
    }
  });

  it('leaves autocannon’s client class untouched (each connection gates its own instance)', async () => {
    const before = [Client.prototype._doRequest, Client.prototype._connect];
    const port = await serve((_request, response) => response.end('ok'));
    for (const keepAlive of [undefined, false as const]) {
      const connection = await http1Transport({ ...spec(port), ...(keepAlive === false ? { keepAlive } : {}) }).open();
      await sendOne(connection);
      connection.close();
    }
    expect([Client.prototype._doRequest, Client.prototype._connect]).toStrictEqual(before);
  });
});

describe('the transport registry', () => {
  it('has a transport for exactly the protocols the scenario lets through (AGENT_PROTOCOLS)', async () => {
    const { AGENT_PROTOCOLS, LOAD_PROTOCOLS } = await import('../../load/protocols.js');
    const { transportFor } = await import('./index.js');
    const built = LOAD_PROTOCOLS.filter((protocol) => {
      try {
        transportFor({ ...spec(1), protocol });
        return true;
      } catch {
        return false;
      }
    });
    expect(built).toStrictEqual([...AGENT_PROTOCOLS]);
  });
});
