/**
 * The load agent: runs inside the client pod (the loadgen container is that pod's app) so its
 * traffic takes the pod's real path, through the outbound sidecar where there is one.
 *
 * Usage: node loadgen-agent.cjs load|probe|bare <base64 JSON AgentSpec>. Progress goes to stderr as JSON lines, the
 * result to stdout as one JSON line. Closed model: autocannon with N connections, one request in
 * flight on each; its own (whole-ms) histograms are ignored and every response is recorded in µs.
 * Open model: see loadgen-open.ts.
 */
import { request } from 'node:http';
import autocannon from 'autocannon';
import type { AgentSpec } from '../load/agent-protocol.js';
import { AGENT_EXIT_ORPHANED, AGENT_STDIN_WATCH_ENV } from '../load/agent-constants.js';
import { ResponseRecorder, readServiceTimes } from './loadgen-recorder.js';
import { LatencyTimeline } from './latency-timeline.js';
import { runOpenModel } from './loadgen-open.js';
import { watchGc } from './gc-watch.js';

type RawHeaders = { headers?: string[] };

function nowEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

function emit(stream: NodeJS.WriteStream, message: object): void {
  stream.write(`${JSON.stringify(message)}\n`);
}

async function runClosedModel(spec: AgentSpec): Promise<void> {
  const recorder = new ResponseRecorder();
  const gcWatch = watchGc();
  let windowStartEpochMs = 0;
  const timeline = new LatencyTimeline(() => windowStartEpochMs);
  const startNs = process.hrtime.bigint();
  const warmupEndNs = startNs + BigInt(spec.warmupUs) * 1000n;
  let measuring = false;

  const setupClient = (client: autocannon.Client) => {
    let pendingHeaders: string[] | undefined;
    const events = client as unknown as NodeJS.EventEmitter;
    events.on('headers', (parsed: RawHeaders) => {
      pendingHeaders = parsed.headers;
    });
    events.on('response', (statusCode: number, bytes: number, durationMs: number) => {
      const headers = pendingHeaders;
      pendingHeaders = undefined;
      if (!measuring) return;
      recorder.recordResponse(statusCode, bytes, durationMs * 1000, readServiceTimes(headers));
      const at = nowEpochMs();
      timeline.record(at, durationMs * 1000);
      if (statusCode < 200 || statusCode >= 300) timeline.recordError(at);
    });
    events.on('connError', (error: Error) => {
      if (!measuring) return;
      recorder.recordConnectionError(error.message);
      timeline.recordError(nowEpochMs());
    });
    events.on('timeout', () => {
      if (!measuring) return;
      recorder.recordTimeout();
      timeline.recordError(nowEpochMs());
    });
  };

  const body = spec.requestBodyBytes > 0 ? Buffer.alloc(spec.requestBodyBytes, 'b') : undefined;
  const instance = autocannon({
    url: `http://${spec.host}:${spec.port}${spec.path}`,
    method: spec.method,
    ...(body ? { body, headers: { 'content-type': 'application/octet-stream' } } : {}),
    connections: spec.connections,
    pipelining: 1,
    duration: (spec.warmupUs + spec.durationUs) / 1e6,
    timeout: Math.max(1, Math.round(spec.timeoutUs / 1e6)),
    // No rate limit: the closed model sends as soon as the previous answer is back, so autocannon's
    // coordinated-omission "correction" (which needs a rate) never applies.
    setupClient,
  } as autocannon.Options);

  let windowEndEpochMs = 0;
  const warmupTimer = setTimeout(() => {
    measuring = true;
    windowStartEpochMs = nowEpochMs();
  }, Number(warmupEndNs - startNs) / 1e6);
  // autocannon notices its own end only on its next 1 s tick; close the window on time ourselves.
  const windowTimer = setTimeout(() => {
    measuring = false;
    windowEndEpochMs = nowEpochMs();
  }, (spec.warmupUs + spec.durationUs) / 1000);

  const progressTimer = setInterval(() => {
    emit(process.stderr, {
      event: 'progress',
      phase: measuring ? 'measure' : 'warmup',
      elapsedMs: Number(process.hrtime.bigint() - startNs) / 1e6,
      responses: recorder.responseCount,
    });
  }, 1000);

  // The instance is thenable: it resolves when autocannon is done and rejects on a bad option.
  await instance;
  if (measuring || windowEndEpochMs === 0) {
    measuring = false;
    windowEndEpochMs = nowEpochMs();
  }
  clearTimeout(warmupTimer);
  clearTimeout(windowTimer);
  clearInterval(progressTimer);
  const window = { startEpochMs: windowStartEpochMs, endEpochMs: windowEndEpochMs };
  emit(process.stdout, { ...recorder.toResult(window, undefined, timeline.toSeries()), loadgenGc: gcWatch.stop(window) });
}

/**
 * autocannon exactly as its users run it (no per-response hooks), for the self-check: how much
 * the instrumentation costs. Prints autocannon's own result.
 */
async function runBareAutocannon(spec: AgentSpec): Promise<void> {
  const result = await autocannon({
    url: `http://${spec.host}:${spec.port}${spec.path}`,
    connections: spec.connections,
    duration: spec.durationUs / 1e6,
  } as autocannon.Options);
  emit(process.stdout, { event: 'bare', requests: result.requests.total, durationS: result.duration, latencyP50Ms: result.latency.p50, errors: result.errors });
}

/** One request, answered with its status and headers: proves the path before load is sent. */
function probe(spec: AgentSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: spec.host, port: spec.port, path: spec.path, method: 'GET', timeout: spec.timeoutUs / 1000 }, (response) => {
      response.resume();
      response.on('end', () => {
        emit(process.stdout, { event: 'probe', statusCode: response.statusCode, headers: response.headers });
        resolve();
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from ${spec.host}:${spec.port} within ${spec.timeoutUs / 1000} ms`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * An agent whose starter died (the CLI killed with SIGKILL) would otherwise keep sending into a
 * leftover pod until its schedule ends. Its stdin is the exec's attached stream: the engine closes
 * it when the starter's connection goes, so end of stdin means "nobody is listening: stop now".
 */
function exitWhenStarterGoes(): void {
  if (process.env[AGENT_STDIN_WATCH_ENV] !== '1') return;
  const stop = () => {
    emit(process.stderr, { event: 'fatal', message: 'stdin closed: the process that started this agent is gone; stopping' });
    process.exit(AGENT_EXIT_ORPHANED);
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

async function main(): Promise<void> {
  const [mode, encodedSpec] = process.argv.slice(2);
  if (!['load', 'probe', 'bare'].includes(mode ?? '') || !encodedSpec) throw new Error('usage: loadgen-agent load|probe|bare <base64 JSON spec>');
  const spec = JSON.parse(Buffer.from(encodedSpec, 'base64').toString('utf8')) as AgentSpec;
  if (mode === 'probe') return probe(spec);
  if (mode === 'bare') return runBareAutocannon(spec);
  if (spec.model === 'closed') return runClosedModel(spec);
  const result = await runOpenModel(spec, nowEpochMs, (phase, elapsedMs, responses) => emit(process.stderr, { event: 'progress', phase, elapsedMs, responses }));
  emit(process.stdout, result);
}

process.on('unhandledRejection', (error) => {
  emit(process.stderr, { event: 'fatal', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});

exitWhenStarterGoes();
main()
  // Done: stop watching stdin, so it does not keep the process alive.
  .then(() => process.stdin.destroy())
  .catch((error: unknown) => {
    emit(process.stderr, { event: 'fatal', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
