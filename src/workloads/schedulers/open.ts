/**
 * Open model: requests leave on a fixed schedule (rate R, request i at start + i/R), whatever the
 * system under test does. Latency is measured from the *scheduled* send, so a stalled proxy cannot
 * hide its stall behind a load generator that politely waited (coordinated omission); the latency
 * from the actual send is kept beside it, with the send lag (actual − scheduled) and the requests
 * that were due but never sent.
 *
 * The pool is every request slot of every connection (1 per HTTP/1.1 connection, the streams of an
 * HTTP/2 one). A due request takes the slot idle longest: if even that one freed up after the
 * request was due, every slot was busy then (waitedForConnection). The transport's own pacing is
 * never used (autocannon's rate mode sends per-second bursts, and its coordinated-omission
 * correction records with an interval in the wrong unit).
 */
import type { AgentResult, AgentSpec } from '../../load/agent-protocol.js';
import { ResponseRecorder } from '../loadgen-recorder.js';
import { arrivalOffsetsNs } from '../arrival-schedule.js';
import { LatencyTimeline } from '../latency-timeline.js';
import { startMetronome } from '../metronome.js';
import { watchGc } from '../gc-watch.js';
import type { Outcome, Transport, TransportConnection } from '../transports/transport.js';
import { openAll, sleepMs, sleepUntilEpochMs, type OnProgress } from './sleep.js';

interface InFlight {
  index: number;
  scheduledNs: bigint;
  sentNs: bigint;
}

interface IdleSlot {
  connection: TransportConnection;
  /** When the slot last became free to send. */
  idleSinceNs: bigint;
}

/** Sends due within this of each other go out in one batch (caps metronome messages at 5k/s). */
const MIN_TICK_NS = 200_000;
/** After the last scheduled send, how long in-flight requests may still answer. */
const DRAIN_GRACE_MS = 2_000;

/**
 * Runs the open model at spec.ratePerSecond over a pool of spec.connections connections of
 * `transport`. The schedule starts once every connection is open, so connecting is not lateness.
 *
 * @param nowEpochMs the wall clock (ms since the epoch), for the window's edges and the timeline
 * @throws Error when spec.ratePerSecond is not positive
 */
export async function runOpenModel(spec: AgentSpec, transport: Transport, nowEpochMs: () => number, onProgress: OnProgress): Promise<AgentResult> {
  const ratePerSecond = spec.ratePerSecond ?? 0;
  if (!(ratePerSecond > 0)) throw new Error('the open model needs ratePerSecond > 0');
  const offsetsNs = arrivalOffsetsNs((spec.warmupUs + spec.durationUs) * 1000, ratePerSecond, spec.arrivals ?? 'uniform', spec.seed ?? 1);
  const total = offsetsNs.length;
  // Requests scheduled before the end of the warm-up are sent but not recorded.
  let warmupCount = 0;
  while (warmupCount < total && (offsetsNs[warmupCount] as number) < spec.warmupUs * 1000) warmupCount++;
  const recorder = new ResponseRecorder();
  const gcWatch = watchGc();
  let windowStartEpochMs = 0;
  const timeline = new LatencyTimeline(() => windowStartEpochMs);
  let next = 0;
  let sent = 0;
  let waitedForConnection = 0;
  const inWindow = (index: number) => index >= warmupCount;
  const sinceScheduledUs = (request: InFlight) => Number(process.hrtime.bigint() - request.scheduledNs) / 1000;
  const inFlight = new Set<InFlight>();
  let startNs = 0n;
  let running = false;
  let finished = false;

  const connections = await openAll(spec.connections, () => transport.open());
  const openedNs = process.hrtime.bigint();
  const idle: IdleSlot[] = connections.flatMap((connection) => Array.from({ length: connection.maxInFlight }, () => ({ connection, idleSinceNs: openedNs })));

  const record = (request: InFlight, outcome: Outcome) => {
    const doneNs = process.hrtime.bigint();
    const at = nowEpochMs();
    if (outcome.kind === 'response') {
      const latencyUs = Number(doneNs - request.scheduledNs) / 1000;
      if (outcome.ok) timeline.record(at, latencyUs);
      else timeline.recordError(at);
      const open = { uncorrectedLatencyUs: Number(doneNs - request.sentNs) / 1000, sendLagUs: Number(request.sentNs - request.scheduledNs) / 1000 };
      recorder.recordResponse(outcome.status, outcome.bytes, latencyUs, outcome.serviceTimes, open, outcome.ok);
      return;
    }
    timeline.recordError(at);
    if (outcome.kind === 'timeout') recorder.recordTimeout(sinceScheduledUs(request));
    else recorder.recordConnectionError(outcome.message, sinceScheduledUs(request), outcome.errno);
  };

  const dispatch = () => {
    if (!running) return;
    const elapsedNs = Number(process.hrtime.bigint() - startNs);
    while (next < total && (offsetsNs[next] as number) <= elapsedNs && idle.length > 0) {
      const slot = idle.shift() as IdleSlot;
      const scheduledNs = startNs + BigInt(Math.round(offsetsNs[next] as number));
      const request: InFlight = { index: next, scheduledNs, sentNs: process.hrtime.bigint() };
      if (inWindow(next)) {
        sent++;
        if (slot.idleSinceNs > scheduledNs) waitedForConnection++;
      }
      next++;
      inFlight.add(request);
      slot.connection.send((outcome) => {
        if (finished) return;
        inFlight.delete(request);
        if (inWindow(request.index)) record(request, outcome);
        idle.push({ connection: slot.connection, idleSinceNs: process.hrtime.bigint() });
        dispatch();
      });
    }
  };

  startNs = process.hrtime.bigint() + 1_000_000n;
  const startEpochMs = nowEpochMs() + 1;
  running = true;
  const metronome = startMetronome({ startNs, offsetsNs, minTickNs: MIN_TICK_NS }, dispatch);
  const progressTimer = setInterval(() => {
    const elapsedMs = Number(process.hrtime.bigint() - startNs) / 1e6;
    onProgress(elapsedMs < spec.warmupUs / 1000 ? 'warmup' : 'measure', elapsedMs, recorder.responseCount);
  }, 1000);

  windowStartEpochMs = startEpochMs + spec.warmupUs / 1000;
  const windowEndEpochMs = windowStartEpochMs + spec.durationUs / 1000;
  await sleepUntilEpochMs(windowEndEpochMs, nowEpochMs);
  await metronome.stop();
  dispatch();
  running = false;
  // Let what is in flight answer (bounded), then close every connection.
  const drainDeadline = nowEpochMs() + Math.min(DRAIN_GRACE_MS, spec.timeoutUs / 1000);
  while (inFlight.size > 0 && nowEpochMs() < drainDeadline) await sleepMs(5);
  finished = true;
  for (const request of inFlight) if (inWindow(request.index)) recorder.recordUnanswered(sinceScheduledUs(request));
  for (const connection of connections) connection.close();
  clearInterval(progressTimer);

  const scheduled = total - warmupCount;
  const window = { startEpochMs: windowStartEpochMs, endEpochMs: windowEndEpochMs };
  const result = recorder.toResult(window, { targetRps: ratePerSecond, scheduled, sent, unsent: scheduled - sent, waitedForConnection }, timeline.toSeries());
  return { ...result, loadgenGc: gcWatch.stop(window) };
}
