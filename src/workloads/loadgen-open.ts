/**
 * Open model: requests leave on a fixed schedule (rate R, request i at start + i/R), whatever the
 * system under test does. Latency is measured from the *scheduled* send, so a stalled proxy cannot
 * hide its stall behind a load generator that politely waited (coordinated omission); the latency
 * from the actual send is kept beside it.
 *
 * autocannon's HTTP client does the HTTP (the same parser and write path as the closed model), but
 * it would send the next request as soon as a response arrives. Its _doRequest is therefore gated:
 * a client that would send is parked as idle, and the scheduler below releases it when a request
 * is due. autocannon's own rate limiting is not used (it sends per-second bursts, and its
 * coordinated-omission correction records with an interval in the wrong unit).
 */
import Client from 'autocannon/lib/httpClient.js';
import type { AgentResult, AgentSpec } from '../load/agent-protocol.js';
import { ResponseRecorder, isSuccess, readServiceTimes } from './loadgen-recorder.js';
import { clientOptions } from './client-options.js';
import { arrivalOffsetsNs } from './arrival-schedule.js';
import { LatencyTimeline } from './latency-timeline.js';
import { startMetronome } from './metronome.js';
import { watchGc } from './gc-watch.js';

type AutocannonClient = InstanceType<typeof Client>;

interface InFlight {
  index: number;
  scheduledNs: bigint;
  sentNs: bigint;
}

interface ConnectionState {
  client?: AutocannonClient;
  inFlight?: InFlight;
  /** A request whose connection was reset; classified once the client says why. */
  orphan?: InFlight;
  headers?: string[];
  /** When the connection last became free to send. */
  idleSinceNs?: bigint;
}

/** Sends due within this of each other go out in one batch (caps metronome messages at 5k/s). */
const MIN_TICK_NS = 200_000;
/** After the last scheduled send, how long in-flight requests may still answer. */
const DRAIN_GRACE_MS = 2_000;

const originalDoRequest = Client.prototype._doRequest;
const stateOf = new WeakMap<AutocannonClient, ConnectionState>();

/**
 * Every client calls _doRequest when it would send (on connect and after each response); while an
 * open-model run is on, it parks the client instead. Installed only for the run: the closed model
 * uses the same class unchanged.
 */
function gateClients(onClientWantsToSend: (client: AutocannonClient) => void): () => void {
  Client.prototype._doRequest = function gatedDoRequest(this: AutocannonClient) {
    onClientWantsToSend(this);
  };
  return () => {
    Client.prototype._doRequest = originalDoRequest;
  };
}

export async function runOpenModel(spec: AgentSpec, nowEpochMs: () => number, onProgress: (phase: 'warmup' | 'measure', elapsedMs: number, responses: number) => void): Promise<AgentResult> {
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
  const idle: ConnectionState[] = [];
  let next = 0;
  let sent = 0;
  let waitedForConnection = 0;
  const inWindow = (index: number) => index >= warmupCount;
  const sinceScheduledUs = (request: InFlight) => Number(process.hrtime.bigint() - request.scheduledNs) / 1000;

  // The schedule starts once every connection is open, so connecting is not counted as lateness.
  const connections: ConnectionState[] = [];
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  let startNs = 0n;
  let running = false;

  const dispatch = () => {
    if (!running) return;
    const nowNs = process.hrtime.bigint();
    const elapsedNs = Number(nowNs - startNs);
    while (next < total && (offsetsNs[next] as number) <= elapsedNs && idle.length > 0) {
      // The connection idle longest: if even it freed up after the request was due, every
      // connection was busy at that time.
      const state = idle.shift() as ConnectionState;
      const scheduledNs = startNs + BigInt(Math.round(offsetsNs[next] as number));
      state.inFlight = { index: next, scheduledNs, sentNs: process.hrtime.bigint() };
      if (inWindow(next)) {
        sent++;
        if ((state.idleSinceNs ?? 0n) > scheduledNs) waitedForConnection++;
      }
      next++;
      originalDoRequest.call(state.client as AutocannonClient);
    }
  };

  const ungate = gateClients((client) => {
    const state = stateOf.get(client) ?? {};
    if (state.inFlight) {
      // The connection was reset with a request on it; 'timeout' or nothing follows at once.
      state.orphan = state.inFlight;
      state.inFlight = undefined;
      queueMicrotask(() => {
        if (state.orphan && inWindow(state.orphan.index)) {
          recorder.recordConnectionError('connection closed before the response', sinceScheduledUs(state.orphan));
          timeline.recordError(nowEpochMs());
        }
        state.orphan = undefined;
      });
    }
    if (!idle.includes(state)) {
      state.idleSinceNs = process.hrtime.bigint();
      idle.push(state);
    }
    if (!running && idle.length === spec.connections) resolveReady();
    dispatch();
  });

  for (let i = 0; i < spec.connections; i++) {
    const state: ConnectionState = {};
    connections.push(state);
    const client = new Client(
      clientOptions(spec, (created) => {
        state.client = created;
        stateOf.set(created, state);
      }),
    );
    client.on('headers', (parsed: { headers?: string[] }) => {
      state.headers = parsed.headers;
    });
    client.on('response', (statusCode: number, bytes: number, durationMs: number) => {
      const request = state.inFlight;
      const headers = state.headers;
      state.inFlight = undefined;
      state.headers = undefined;
      if (!request || !inWindow(request.index)) return;
      const doneNs = process.hrtime.bigint();
      const latencyUs = Number(doneNs - request.scheduledNs) / 1000;
      const at = nowEpochMs();
      if (isSuccess(statusCode)) timeline.record(at, latencyUs);
      else timeline.recordError(at);
      recorder.recordResponse(statusCode, bytes, latencyUs, readServiceTimes(headers), {
        uncorrectedLatencyUs: durationMs * 1000,
        sendLagUs: Number(request.sentNs - request.scheduledNs) / 1000,
      });
    });
    client.on('timeout', () => {
      if (state.orphan && inWindow(state.orphan.index)) {
        recorder.recordTimeout(sinceScheduledUs(state.orphan));
        timeline.recordError(nowEpochMs());
      }
      state.orphan = undefined;
    });
    client.on('connError', (error: Error) => {
      const request = state.inFlight ?? state.orphan;
      state.inFlight = undefined;
      state.orphan = undefined;
      if (request && inWindow(request.index)) {
        recorder.recordConnectionError(error.message, sinceScheduledUs(request));
        timeline.recordError(nowEpochMs());
      }
    });
  }

  await ready;
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
  while (connections.some((state) => state.inFlight) && nowEpochMs() < drainDeadline) await sleepMs(5);
  for (const state of connections) if (state.inFlight && inWindow(state.inFlight.index)) recorder.recordUnanswered(sinceScheduledUs(state.inFlight));
  for (const state of connections) state.client?.destroy();
  ungate();
  clearInterval(progressTimer);

  const scheduled = total - warmupCount;
  const window = { startEpochMs: windowStartEpochMs, endEpochMs: windowEndEpochMs };
  const result = recorder.toResult(window, { targetRps: ratePerSecond, scheduled, sent, unsent: scheduled - sent, waitedForConnection }, timeline.toSeries());
  return { ...result, loadgenGc: gcWatch.stop(window) };
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function sleepUntilEpochMs(epochMs: number, nowEpochMs: () => number): Promise<void> {
  for (let remainingMs = epochMs - nowEpochMs(); remainingMs > 0; remainingMs = epochMs - nowEpochMs()) await sleepMs(Math.min(remainingMs, 100));
}
