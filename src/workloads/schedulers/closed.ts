/**
 * Closed model: every request slot of every connection (1 per HTTP/1.1 connection, the streams of
 * an HTTP/2 one) sends its next request as soon as the previous answer is back. The transport
 * does the protocol; the window is ours.
 *
 * A request belongs to the window it was *sent* in, and every request sent in the window is
 * accounted for: answered (2xx or not), failed (reset, timeout), or still unanswered when the
 * agent stops waiting. At the window's end the slots stop sending and the requests on the
 * wire are waited for (bounded), so throughput does not depend on where the window cut: with
 * "completed inside the window" the N requests in flight at each edge fell in or out by chance.
 */
import type { AgentResult, AgentSpec } from '../../load/agent-protocol.js';
import { LatencyTimeline } from '../latency-timeline.js';
import { ResponseRecorder } from '../loadgen-recorder.js';
import { watchGc } from '../gc-watch.js';
import type { Outcome, Transport, TransportConnection } from '../transports/transport.js';
import { openAll, sleepMs, sleepUntilEpochMs, type OnProgress } from './sleep.js';

/** After the window, how long requests sent in it may still answer (never longer than the timeout). */
export const CLOSED_DRAIN_GRACE_MS = 2_000;

interface Outstanding {
  sentNs: bigint;
  inWindow: boolean;
}

/**
 * Runs the closed model over `spec.connections` connections of `transport`.
 *
 * @param nowEpochMs the wall clock (ms since the epoch), for the window's edges and the timeline
 * @returns the agent's result for the window [warm-up end, warm-up end + duration]
 */
export async function runClosedModel(spec: AgentSpec, transport: Transport, nowEpochMs: () => number, onProgress: OnProgress): Promise<AgentResult> {
  const recorder = new ResponseRecorder();
  const gcWatch = watchGc();
  const connections = await openAll(spec.connections, () => transport.open());
  const startEpochMs = nowEpochMs();
  const windowStartEpochMs = startEpochMs + spec.warmupUs / 1000;
  const windowEndEpochMs = windowStartEpochMs + spec.durationUs / 1000;
  const timeline = new LatencyTimeline(() => windowStartEpochMs);
  let phase: 'warmup' | 'measure' | 'drain' = 'warmup';
  let finished = false;
  const outstanding = new Set<Outstanding>();
  const sinceSentUs = (request: Outstanding) => Number(process.hrtime.bigint() - request.sentNs) / 1000;

  const record = (request: Outstanding, outcome: Outcome) => {
    const latencyUs = sinceSentUs(request);
    const at = nowEpochMs();
    if (outcome.kind === 'response') {
      if (outcome.ok) timeline.record(at, latencyUs);
      else timeline.recordError(at);
      recorder.recordResponse(outcome.status, outcome.bytes, latencyUs, outcome.serviceTimes, undefined, outcome.ok);
      return;
    }
    timeline.recordError(at);
    if (outcome.kind === 'timeout') recorder.recordTimeout(latencyUs);
    else recorder.recordConnectionError(outcome.message, latencyUs, outcome.errno);
  };

  const sendNext = (connection: TransportConnection) => {
    if (phase === 'drain') return;
    const request: Outstanding = { sentNs: process.hrtime.bigint(), inWindow: phase === 'measure' };
    outstanding.add(request);
    connection.send((outcome) => {
      if (finished) return;
      outstanding.delete(request);
      if (request.inWindow) record(request, outcome);
      sendNext(connection);
    });
  };
  for (const connection of connections) for (let slot = 0; slot < connection.maxInFlight; slot++) sendNext(connection);

  const progressTimer = setInterval(() => {
    onProgress(phase === 'warmup' ? 'warmup' : 'measure', nowEpochMs() - startEpochMs, recorder.responseCount);
  }, 1000);
  await sleepUntilEpochMs(windowStartEpochMs, nowEpochMs);
  phase = 'measure';
  await sleepUntilEpochMs(windowEndEpochMs, nowEpochMs);
  // Stop sending: a slot whose answer arrives now parks instead of sending the next request.
  phase = 'drain';
  const inWindow = () => [...outstanding].filter((request) => request.inWindow);
  const inFlightAtWindowEnd = inWindow().length;
  const drainDeadline = nowEpochMs() + Math.min(CLOSED_DRAIN_GRACE_MS, spec.timeoutUs / 1000);
  while (inWindow().length > 0 && nowEpochMs() < drainDeadline) await sleepMs(5);
  finished = true;
  for (const request of inWindow()) recorder.recordUnanswered(sinceSentUs(request));
  for (const connection of connections) connection.close();
  clearInterval(progressTimer);

  const window = { startEpochMs: windowStartEpochMs, endEpochMs: windowEndEpochMs };
  return { ...recorder.toResult(window, undefined, timeline.toSeries()), closed: { inFlightAtWindowEnd }, loadgenGc: gcWatch.stop(window) };
}
