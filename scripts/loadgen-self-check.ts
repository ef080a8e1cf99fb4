/**
 * Load-generator self-check (a benchmark, not a test): against one app container, in one run,
 * interleaved, it drives the same closed load (N connections) with
 *   1. bare autocannon (no hooks),
 *   2. sidecar-bench's instrumented load agent (µs histograms, header parsing),
 *   3. wrk (Debian's package),
 * and over HTTP/2 (h2c to the app's HTTP/2 port, N connections × M streams):
 *   4. sidecar-bench's agent with its HTTP/2 transport,
 *   5. h2load (Debian's nghttp2-client),
 * and prints each one's throughput and P50 plus the ratios that matter: instrumented ÷ bare
 * throughput (how much the instrumentation costs; goal ≥ 0.95), instrumented P50 ÷ wrk P50
 * (how much latency our client adds over a C one; goal ≤ 1.3), and the same for HTTP/2 against
 * h2load.
 *
 * Run: npm run self-check [-- --connections 16 --duration 10 --rounds 3 --h2-streams 1]
 */
import { parseArgs } from 'node:util';
import type Dockerode from 'dockerode';
import { decodeHistogram } from '../src/hdr/histogram.js';
import { ensureImages } from '../src/images/index.js';
import { runBareAutocannon, runLoad } from '../src/load/run-agent.js';
import type { AgentSpec } from '../src/load/agent-protocol.js';
import { connectDocker } from '../src/runtime/docker-env.js';
import { startPod } from '../src/runtime/pod.js';
import { sidecarProxy } from '../src/proxies/driver.js';
import { haproxyDriver } from '../src/proxies/haproxy/driver.js';
import { RunResources } from '../src/runtime/run-resources.js';
import { APP_H2C_PORT, APP_PORT, planTopology } from '../src/runtime/topology.js';
import { h2loadCommand, parseH2load } from '../src/load/h2load.js';
import { parseScenario } from '../src/scenario/index.js';
import { createProgressDisplay } from '../src/cli/progress-display.js';

const { values } = parseArgs({ options: { connections: { type: 'string', default: '16' }, duration: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' }, 'h2-streams': { type: 'string', default: '1' } } });
const h2Streams = Number(values['h2-streams']);
const connections = Number(values.connections);
const durationS = Number(values.duration);
const rounds = Number(values.rounds);
const WARMUP_S = 2;

interface Measurement {
  tool: 'bare autocannon' | 'instrumented agent' | 'wrk' | 'agent HTTP/2' | 'h2load';
  rps: number;
  p50Us: number;
}

/** wrk prints "Requests/sec: 41234.56" and, with --latency, "50%  312.00us" (us, ms or s). */
export function parseWrk(output: string): { rps: number; p50Us: number } {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const p50 = /^\s*50%\s+([\d.]+)(us|ms|s)\s*$/m.exec(output);
  if (!Number.isFinite(rps) || !p50) throw new Error(`cannot read wrk's output:\n${output}`);
  const unitUs = { us: 1, ms: 1000, s: 1_000_000 }[p50[2] as 'us' | 'ms' | 's'];
  return { rps, p50Us: Number(p50[1]) * unitUs };
}

async function execOutput(docker: Dockerode, containerId: string, command: string[]): Promise<string> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => stream.on('end', resolve));
  // The multiplexed stream's 8-byte frame headers hold control characters: drop them, keep tabs and newlines.
  return Buffer.concat(chunks).toString('utf8').replace(/[\x00-\x08\x0e-\x1f]/g, '');
}

async function runWrk(docker: Dockerode, containerId: string, url: string, seconds: number): Promise<{ rps: number; p50Us: number }> {
  return parseWrk(await execOutput(docker, containerId, ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url]));
}

async function runH2load(docker: Dockerode, containerId: string, url: string, seconds: number): Promise<{ rps: number; p50Us: number }> {
  const { rps, p50Us } = parseH2load(await execOutput(docker, containerId, ['sh', '-c', h2loadCommand(url, connections, h2Streams, seconds)]));
  return { rps, p50Us };
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;

async function main(): Promise<void> {
  const progress = createProgressDisplay();
  const { dockerode } = await connectDocker();
  const { images } = await ensureImages({ dockerode, progress, names: ['pause', 'app', 'loadgen', 'init', 'haproxy'] });
  const resources = new RunResources(dockerode, `selfcheck-${Date.now().toString(36)}`);
  try {
    const networkName = `sb-${resources.runId}`;
    await resources.createNetwork(networkName);
    const scenario = parseScenario('topologies: [app-only]\nload: { connections: 1, duration: 1s }\n', 'self-check');
    const plan = planTopology('app-only', { scenario, images: { app: images.app?.tag as string, loadgen: images.loadgen?.tag as string }, proxy: sidecarProxy(haproxyDriver, images.haproxy?.tag as string), clientCpus: '0', serverCpus: '1' });
    const context = { dockerode, resources, networkName, pauseImage: images.pause?.tag as string, initImage: images.init?.tag as string, startupTimeoutMs: 60_000 };
    const server = await startPod(plan.server, context);
    const client = await startPod(plan.client, context);
    const loadgen = client.containers.find((container) => container.role === 'loadgen')?.id as string;
    const spec: AgentSpec = { model: 'closed', host: server.ip, port: APP_PORT, method: 'GET', path: '/', requestBodyBytes: 0, connections, warmupUs: WARMUP_S * 1e6, durationUs: durationS * 1e6, timeoutUs: 10e6 };
    const url = `http://${server.ip}:${APP_PORT}/`;
    const h2Spec: AgentSpec = { ...spec, protocol: 'http2', port: APP_H2C_PORT, streamsPerConnection: h2Streams };
    const h2Url = `http://${server.ip}:${APP_H2C_PORT}/`;
    const measurements: Measurement[] = [];
    for (let round = 1; round <= rounds; round++) {
      const task = progress.start(`round ${round}/${rounds}`);
      await runBareAutocannon(dockerode, loadgen, { ...spec, durationUs: WARMUP_S * 1e6 });
      const bare = await runBareAutocannon(dockerode, loadgen, spec);
      measurements.push({ tool: 'bare autocannon', rps: bare.requests / bare.durationS, p50Us: bare.latencyP50Ms * 1000 });
      const instrumented = await runLoad(dockerode, loadgen, spec);
      const seconds = (instrumented.window.endEpochMs - instrumented.window.startEpochMs) / 1000;
      measurements.push({ tool: 'instrumented agent', rps: instrumented.responses / seconds, p50Us: decodeHistogram(instrumented.histograms.latencyUs).getValueAtPercentile(50) });
      await runWrk(dockerode, loadgen, url, WARMUP_S);
      measurements.push({ tool: 'wrk', ...(await runWrk(dockerode, loadgen, url, durationS)) });
      const overH2 = await runLoad(dockerode, loadgen, h2Spec);
      const h2Seconds = (overH2.window.endEpochMs - overH2.window.startEpochMs) / 1000;
      measurements.push({ tool: 'agent HTTP/2', rps: (overH2.okResponses ?? overH2.responses) / h2Seconds, p50Us: decodeHistogram(overH2.histograms.latencyUs).getValueAtPercentile(50) });
      await runH2load(dockerode, loadgen, h2Url, WARMUP_S);
      measurements.push({ tool: 'h2load', ...(await runH2load(dockerode, loadgen, h2Url, durationS)) });
      task.succeed(`round ${round}/${rounds} done`);
    }
    const byTool = (tool: Measurement['tool']) => measurements.filter((measurement) => measurement.tool === tool);
    process.stdout.write(`\nload-generator self-check: app-only, closed model, ${connections} connections (HTTP/2: × ${h2Streams} streams), ${durationS} s per run, ${rounds} interleaved rounds\n\n`);
    process.stdout.write('tool                 req/s (median)   P50 µs (median)   per round (req/s @ P50 µs)\n');
    for (const tool of ['bare autocannon', 'instrumented agent', 'wrk', 'agent HTTP/2', 'h2load'] as const) {
      const list = byTool(tool);
      const note = tool === 'bare autocannon' ? '  (autocannon P50 is whole ms)' : '';
      process.stdout.write(`${tool.padEnd(20)} ${median(list.map((m) => m.rps)).toFixed(0).padStart(14)}   ${median(list.map((m) => m.p50Us)).toFixed(0).padStart(15)}   ${list.map((m) => `${m.rps.toFixed(0)} @ ${m.p50Us.toFixed(0)}`).join(', ')}${note}\n`);
    }
    const rpsRatio = median(byTool('instrumented agent').map((m) => m.rps)) / median(byTool('bare autocannon').map((m) => m.rps));
    const p50Ratio = median(byTool('instrumented agent').map((m) => m.p50Us)) / median(byTool('wrk').map((m) => m.p50Us));
    process.stdout.write(`\ninstrumented ÷ bare autocannon throughput: ${rpsRatio.toFixed(3)} (goal ≥ 0.95) ${rpsRatio >= 0.95 ? 'met' : 'NOT met'}\n`);
    process.stdout.write(`instrumented P50 ÷ wrk P50:                ${p50Ratio.toFixed(3)} (goal ≤ 1.3) ${p50Ratio <= 1.3 ? 'met' : 'NOT met'}\n`);
    const h2Ratio = median(byTool('agent HTTP/2').map((m) => m.p50Us)) / median(byTool('h2load').map((m) => m.p50Us));
    process.stdout.write(`HTTP/2: agent P50 ÷ h2load P50:            ${h2Ratio.toFixed(3)} (goal ≤ 1.3) ${h2Ratio <= 1.3 ? 'met' : 'NOT met'}\n`);
  } finally {
    await resources.removeAll();
  }
}

await main();
