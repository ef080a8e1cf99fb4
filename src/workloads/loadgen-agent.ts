/**
 * The load agent: runs inside the client pod (the loadgen container is that pod's app) so its
 * traffic takes the pod's real path, through the outbound sidecar where there is one.
 *
 * Usage: node loadgen-agent.cjs load|probe|bare <base64 JSON AgentSpec>. Progress goes to stderr as JSON lines, the
 * result to stdout as one JSON line. A scheduler (schedulers/: closed or open model) drives a
 * transport (transports/: the protocol's client) and records every response in µs.
 */
import { request } from 'node:http';
import autocannon from 'autocannon';
import { decodeAgentSpec, type AgentSpec } from '../load/agent-protocol.js';
import { AGENT_EXIT_ORPHANED, AGENT_STDIN_WATCH_ENV } from '../load/agent-constants.js';
import { runClosedModel } from './schedulers/closed.js';
import { runOpenModel } from './schedulers/open.js';
import { encodeHistogram, newHistogramUs, recordUs } from '../hdr/histogram.js';
import { transportFor, type Outcome } from './transports/index.js';

function nowEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

function emit(stream: NodeJS.WriteStream, message: object): void {
  stream.write(`${JSON.stringify(message)}\n`);
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

/**
 * One request through the spec's transport (HTTP/2, gRPC), answered with its status and headers.
 * A call with no answer is an error, as for the HTTP/1.1 probe.
 */
async function probeThroughTransport(spec: AgentSpec): Promise<void> {
  const connection = await transportFor(spec).open();
  const outcome = await new Promise<Outcome>((resolve) => connection.send(resolve));
  connection.close();
  if (outcome.kind === 'timeout') throw new Error(`no answer from ${spec.host}:${spec.port} within ${spec.timeoutUs / 1000} ms`);
  if (outcome.kind === 'connection-error') throw new Error(`${spec.protocol} to ${spec.host}:${spec.port}: ${outcome.message}`);
  const httpStatus = Number(outcome.status);
  // Text headers only (node:http2 gives ":status" as a number).
  const headers = Object.fromEntries(Object.entries(outcome.headers ?? {}).filter(([, value]) => typeof value === 'string' || Array.isArray(value)));
  emit(process.stdout, { event: 'probe', statusCode: Number.isInteger(httpStatus) ? httpStatus : outcome.ok ? 200 : 0, status: outcome.status, headers });
}

/** One request, answered with its status and headers: proves the path before load is sent. */
function probe(spec: AgentSpec): Promise<void> {
  if ((spec.protocol ?? 'http1') !== 'http1') return probeThroughTransport(spec);
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
  const spec = decodeAgentSpec(encodedSpec);
  if (mode === 'probe') return probe(spec);
  if (mode === 'bare') {
    if ((spec.protocol ?? 'http1') !== 'http1') throw new Error('bare mode is autocannon, HTTP/1.1 only');
    return runBareAutocannon(spec);
  }
  const onProgress = (phase: 'warmup' | 'measure', elapsedMs: number, responses: number) => emit(process.stderr, { event: 'progress', phase, elapsedMs, responses });
  // Connection setups (WebSocket's Upgrade) are timed apart from the requests they carry.
  const setupUs = newHistogramUs();
  let setups = 0;
  const transport = transportFor(spec, (us) => {
    recordUs(setupUs, us);
    setups++;
  });
  const result = spec.model === 'closed' ? await runClosedModel(spec, transport, nowEpochMs, onProgress) : await runOpenModel(spec, transport, nowEpochMs, onProgress);
  emit(process.stdout, setups > 0 ? { ...result, histograms: { ...result.histograms, connectionSetupUs: encodeHistogram(setupUs) } } : result);
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
