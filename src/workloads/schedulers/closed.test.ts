import { afterEach, describe, expect, it } from 'vitest';
import { LoopbackHttpServer } from '../transports/loopback-server.fixture.js';
import { decodeHistogram } from '../../hdr/histogram.js';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { http1Transport } from '../transports/http1.js';
import { runClosedModel } from './closed.js';

const nowEpochMs = () => performance.timeOrigin + performance.now();
const loopback = new LoopbackHttpServer();
const serve = (handler: Parameters<LoopbackHttpServer['serve']>[0]) => loopback.serve(handler);
afterEach(() => loopback.close());

const spec = (port: number, fields: Partial<AgentSpec>): AgentSpec => ({
  model: 'closed',
  host: '127.0.0.1',
  port,
  method: 'GET',
  path: '/',
  requestBodyBytes: 0,
  connections: 2,
  warmupUs: 200_000,
  durationUs: 1_100_000,
  timeoutUs: 10_000_000,
  ...fields,
});

const run = (agentSpec: AgentSpec) => runClosedModel(agentSpec, http1Transport(agentSpec), nowEpochMs, () => {});

describe('the closed model over HTTP/1.1', () => {
  it('counts the requests sent inside the window, waiting for those still on the wire when it ends', async () => {
    // Each answer takes 400 ms: each connection sends at ~0, 400, 800, 1200 ms. The window is
    // 200-1000 ms (200 ms from every send, for a loaded machine), so 400 and 800 are in it, and
    // 800 is still on the wire at its end: it is waited for and counted.
    const port = await serve((_request, response) => setTimeout(() => response.end('ok'), 400));
    const startedMs = performance.now();
    const result = await run(spec(port, { durationUs: 800_000 }));
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(1_150);
    expect(result.closed).toStrictEqual({ inFlightAtWindowEnd: 2 });
    expect(result).toMatchObject({ responses: 4, okResponses: 4, connectionErrors: 0, timeouts: 0, unansweredAtEnd: 0 });
    const latency = decodeHistogram(result.histograms.latencyUs);
    expect(latency.totalCount).toBe(4);
    expect(latency.minNonZeroValue).toBeGreaterThanOrEqual(390_000);
  });

  it('honours a sub-second timeout and keeps the timed-out requests out of the latency', async () => {
    // Never answers: with a 300 ms timeout the connection re-sends at ~0, 300, 600, 900 ms; the
    // window 100-1100 ms holds 300, 600 and 900, and 900 times out while the agent drains.
    const port = await serve(() => {});
    const result = await run(spec(port, { connections: 1, warmupUs: 100_000, durationUs: 1_000_000, timeoutUs: 300_000 }));
    expect(result).toMatchObject({ responses: 0, okResponses: 0, timeouts: 3, unansweredAtEnd: 0 });
    expect(decodeHistogram(result.histograms.latencyUs).totalCount).toBe(0);
    const failed = decodeHistogram(result.histograms.failedLatencyUs as string);
    expect(failed.totalCount).toBe(3);
    expect(failed.minNonZeroValue).toBeGreaterThanOrEqual(299_000);
    expect(failed.maxValue).toBeLessThan(900_000);
  });

  it('keeps fast 503s out of the latency of the slow 200s', async () => {
    let count = 0;
    const port = await serve((_request, response) => {
      count++;
      if (count % 2 === 0) {
        response.statusCode = 503;
        response.end('down');
      } else setTimeout(() => response.end('ok'), 50);
    });
    const result = await run(spec(port, { connections: 1, warmupUs: 100_000, durationUs: 1_000_000 }));
    const ok = result.okResponses as number;
    expect(ok).toBeGreaterThan(5);
    expect(result.statusCodes['503']).toBeGreaterThan(5);
    expect(result.responses).toBe(ok + (result.statusCodes['503'] as number));
    // Node's timers may fire up to 1 ms early (loop time is cached): 40 ms separates the two populations.
    expect(decodeHistogram(result.histograms.latencyUs).minNonZeroValue).toBeGreaterThanOrEqual(40_000);
    expect(decodeHistogram(result.histograms.failedLatencyUs as string).maxValue).toBeLessThan(40_000);
  });
});

describe('the closed model over HTTP/2', () => {
  it('keeps every stream of every connection busy: connections × streams requests on the wire', async () => {
    const { startH2cServer } = await import('../app-h2.js');
    const { http2Transport } = await import('../transports/http2.js');
    const h2 = await startH2cServer(0, { body: Buffer.alloc(16, 'x'), serviceTimeMs: 200 }, '127.0.0.1');
    let sessions = 0;
    h2.on('session', () => sessions++);
    try {
      // 2 connections × 8 streams, 200 ms per answer: sends at ~0, 200, 400, … ms on each of the 16 slots.
      const agentSpec = spec((h2.address() as { port: number }).port, { protocol: 'http2', streamsPerConnection: 8, warmupUs: 100_000, durationUs: 1_000_000 });
      const result = await runClosedModel(agentSpec, http2Transport(agentSpec), nowEpochMs, () => {});
      expect(sessions).toBe(2);
      expect(result.closed).toStrictEqual({ inFlightAtWindowEnd: 16 });
      // At most the sends at ~200, 400, 600, 800, 1000 ms fall in the window (100–1100 ms): ≤ 5 per slot,
      // fewer when a loaded machine stretches the 200 ms; at least the one at ~200 ms.
      expect(result).toMatchObject({ connectionErrors: 0, timeouts: 0, unansweredAtEnd: 0 });
      expect(result.okResponses).toBe(result.responses);
      expect(result.responses).toBeGreaterThanOrEqual(16);
      expect(result.responses).toBeLessThanOrEqual(80);
    } finally {
      await new Promise<void>((resolve) => h2.close(() => resolve()));
    }
  });
});
