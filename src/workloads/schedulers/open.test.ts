import { afterEach, describe, expect, it } from 'vitest';
import { LoopbackHttpServer } from '../transports/loopback-server.fixture.js';
import { decodeHistogram } from '../../hdr/histogram.js';
import type { AgentSpec } from '../../load/agent-protocol.js';
import { http1Transport } from '../transports/http1.js';
import { runOpenModel } from './open.js';

const nowEpochMs = () => performance.timeOrigin + performance.now();
const loopback = new LoopbackHttpServer();
const serve = (handler: Parameters<LoopbackHttpServer['serve']>[0]) => loopback.serve(handler);
afterEach(() => loopback.close());

const spec = (port: number, fields: Partial<AgentSpec>): AgentSpec => ({
  model: 'open',
  ratePerSecond: 50,
  host: '127.0.0.1',
  port,
  method: 'GET',
  path: '/',
  requestBodyBytes: 0,
  connections: 2,
  warmupUs: 200_000,
  durationUs: 1_000_000,
  timeoutUs: 10_000_000,
  ...fields,
});

const run = (agentSpec: AgentSpec) => runOpenModel(agentSpec, http1Transport(agentSpec), nowEpochMs, () => {});

describe('the open model over HTTP/1.1', () => {
  it('sends every request scheduled in the window and records the send lag and the uncorrected latency', async () => {
    const port = await serve((_request, response) => response.end('ok'));
    const result = await run(spec(port, {}));
    // 50/s for 1.2 s: 60 scheduled, the first 10 in the warm-up.
    expect(result.open).toMatchObject({ targetRps: 50, scheduled: 50, sent: 50, unsent: 0 });
    expect(result).toMatchObject({ responses: 50, okResponses: 50, connectionErrors: 0, timeouts: 0, unansweredAtEnd: 0 });
    expect(decodeHistogram(result.histograms.sendLagUs as string).totalCount).toBe(50);
    expect(decodeHistogram(result.histograms.uncorrectedLatencyUs as string).totalCount).toBe(50);
  });

  it('measures from the scheduled send when every connection is busy (coordinated omission), and counts the waits', async () => {
    // One connection, answers after 100 ms, 50/s due: each request waits for the one before it.
    const port = await serve((_request, response) => setTimeout(() => response.end('ok'), 100));
    const result = await run(spec(port, { connections: 1, warmupUs: 0, durationUs: 1_000_000 }));
    const open = result.open as NonNullable<typeof result.open>;
    expect(open.scheduled).toBe(50);
    // ~10 get sent in the window; the rest are unsent when the schedule ends.
    expect(open.sent).toBeGreaterThan(3);
    expect(open.sent).toBeLessThan(15);
    expect(open.unsent).toBe(open.scheduled - open.sent);
    expect(open.waitedForConnection).toBe(open.sent - 1);
    const latency = decodeHistogram(result.histograms.latencyUs);
    const uncorrected = decodeHistogram(result.histograms.uncorrectedLatencyUs as string);
    // The queue grows by ~80 ms per request: the last answered waited far longer than its 100 ms service.
    expect(latency.maxValue).toBeGreaterThan(300_000);
    expect(uncorrected.maxValue).toBeLessThan(300_000);
  });
});
