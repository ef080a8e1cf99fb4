/**
 * Closed model: N connections, each sends its next request as soon as the previous answer is back.
 * autocannon's HTTP client does the HTTP; the window is ours.
 *
 * A request belongs to the window it was *sent* in, and every request sent in the window is
 * accounted for: answered (2xx or not), failed (reset, timeout), or still unanswered when the
 * agent stops waiting. At the window's end the connections stop sending and the requests on the
 * wire are waited for (bounded), so throughput does not depend on where the window cut: with
 * "completed inside the window" the N requests in flight at each edge fell in or out by chance.
 */
import Client from 'autocannon/lib/httpClient.js';
import type { AgentResult, AgentSpec } from '../load/agent-protocol.js';
import { clientOptions, clientTimeoutMs } from './client-options.js';
import { LatencyTimeline } from './latency-timeline.js';
import { ResponseRecorder, isSuccess, readServiceTimes } from './loadgen-recorder.js';
import { watchGc } from './gc-watch.js';

type AutocannonClient = InstanceType<typeof Client>;

/** After the window, how long requests sent in it may still answer (never longer than the timeout). */
export const CLOSED_DRAIN_GRACE_MS = 2_000;

interface Outstanding {
  sentNs: bigint;
  inWindow: boolean;
}

interface Connection {
  client?: AutocannonClient;
  outstanding?: Outstanding;
  /** A request whose connection went away; classified once the client says why. */
  orphan?: Outstanding;
  headers?: string[];
}

export async function runClosedModel(
  spec: AgentSpec,
  nowEpochMs: () => number,
  onProgress: (phase: 'warmup' | 'measure', elapsedMs: number, responses: number) => void,
): Promise<AgentResult> {
  const recorder = new ResponseRecorder();
  const gcWatch = watchGc();
  const startEpochMs = nowEpochMs();
  const windowStartEpochMs = startEpochMs + spec.warmupUs / 1000;
  const windowEndEpochMs = windowStartEpochMs + spec.durationUs / 1000;
  const timeline = new LatencyTimeline(() => windowStartEpochMs);
  let phase: 'warmup' | 'measure' | 'drain' = 'warmup';
  let inFlightAtWindowEnd = 0;
  const sinceSentUs = (request: Outstanding) => Number(process.hrtime.bigint() - request.sentNs) / 1000;
  const connections: Connection[] = [];

  const onRequest = (connection: Connection) => () => {
    if (connection.outstanding) {
      // The client reconnected with a request still open (server closed, or timeout: the
      // 'timeout' event follows the new send). Classify it once the client has spoken.
      const lost = connection.outstanding;
      connection.orphan = lost;
      queueMicrotask(() => {
        if (connection.orphan === lost && lost.inWindow) {
          recorder.recordConnectionError('connection closed before the response', sinceSentUs(lost));
          timeline.recordError(nowEpochMs());
        }
        if (connection.orphan === lost) connection.orphan = undefined;
      });
    }
    connection.outstanding = { sentNs: process.hrtime.bigint(), inWindow: phase === 'measure' };
  };

  for (let i = 0; i < spec.connections; i++) {
    const connection: Connection = {};
    connections.push(connection);
    const client = new Client(
      clientOptions(spec, (created) => {
        connection.client = created;
        // Before the constructor connects: its first send emits 'request' too.
        created.on('request', onRequest(connection));
      }),
    );
    client.on('headers', (parsed: { headers?: string[] }) => {
      connection.headers = parsed.headers;
    });
    client.on('response', (statusCode: number, bytes: number) => {
      const request = connection.outstanding;
      const headers = connection.headers;
      connection.outstanding = undefined;
      connection.headers = undefined;
      if (!request?.inWindow) return;
      const latencyUs = sinceSentUs(request);
      const at = nowEpochMs();
      if (isSuccess(statusCode)) timeline.record(at, latencyUs);
      else timeline.recordError(at);
      recorder.recordResponse(statusCode, bytes, latencyUs, readServiceTimes(headers));
    });
    client.on('timeout', () => {
      // Sending, the client re-sent before this event (the old request is the orphan); draining, it
      // cannot send, so the request that timed out is still the outstanding one.
      const request = connection.orphan ?? (phase === 'drain' ? connection.outstanding : undefined);
      if (request === connection.orphan) connection.orphan = undefined;
      else connection.outstanding = undefined;
      if (request?.inWindow) {
        recorder.recordTimeout(sinceSentUs(request));
        timeline.recordError(nowEpochMs());
      }
    });
    client.on('connError', (error: Error) => {
      const request = connection.outstanding ?? connection.orphan;
      connection.outstanding = undefined;
      connection.orphan = undefined;
      if (request?.inWindow) {
        recorder.recordConnectionError(error.message, sinceSentUs(request));
        timeline.recordError(nowEpochMs());
      }
    });
  }

  const progressTimer = setInterval(() => {
    onProgress(phase === 'warmup' ? 'warmup' : 'measure', nowEpochMs() - startEpochMs, recorder.responseCount);
  }, 1000);
  await sleepUntilEpochMs(windowStartEpochMs, nowEpochMs);
  phase = 'measure';
  await sleepUntilEpochMs(windowEndEpochMs, nowEpochMs);
  phase = 'drain';
  // Stop sending: a connection whose answer arrives now parks instead of sending the next request.
  for (const connection of connections) if (connection.client) connection.client._doRequest = () => {};
  inFlightAtWindowEnd = connections.filter((connection) => connection.outstanding?.inWindow).length;
  const drainDeadline = nowEpochMs() + Math.min(CLOSED_DRAIN_GRACE_MS, clientTimeoutMs(spec));
  while (connections.some((connection) => connection.outstanding?.inWindow) && nowEpochMs() < drainDeadline) await sleepMs(5);
  for (const connection of connections) if (connection.outstanding?.inWindow) recorder.recordUnanswered(sinceSentUs(connection.outstanding));
  for (const connection of connections) connection.client?.destroy();
  clearInterval(progressTimer);

  const window = { startEpochMs: windowStartEpochMs, endEpochMs: windowEndEpochMs };
  return { ...recorder.toResult(window, undefined, timeline.toSeries()), closed: { inFlightAtWindowEnd }, loadgenGc: gcWatch.stop(window) };
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function sleepUntilEpochMs(epochMs: number, nowEpochMs: () => number): Promise<void> {
  for (let remainingMs = epochMs - nowEpochMs(); remainingMs > 0; remainingMs = epochMs - nowEpochMs()) await sleepMs(Math.min(remainingMs, 100));
}
