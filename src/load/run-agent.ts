import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { z } from 'zod';
import { BenchError, describeError } from '../errors.js';
import { AGENT_STDIN_WATCH_ENV } from './agent-constants.js';
import { agentProbeSchema, encodeAgentSpec, agentProgressSchema, agentResultSchema, type AgentProbe, type AgentProgress, type AgentResult, type AgentSpec } from './agent-protocol.js';

export const AGENT_PATH = '/opt/sidecar-bench/loadgen-agent.cjs';

/**
 * A young generation big enough that the agent does not collect garbage while it measures. With
 * V8's default (semi-spaces of a few MB) the agent scavenged 2.6 times a second at 500 req/s, each
 * pause 1-5 ms (--trace-gc): the load generator itself stalled ~0.5 % of the time, and a request
 * due or answered in a pause was charged for it. With 128 MB it allocates ~15 MB/s at 500 req/s and
 * measured no scavenge in a 7 s trial. The memory is reserved per agent, for one trial.
 */
export const AGENT_NODE_FLAGS = ['--min-semi-space-size=128', '--max-semi-space-size=128'] as const;

export interface AgentRunOptions {
  onProgress?: (progress: AgentProgress) => void;
  signal?: AbortSignal;
  /** Run the agent as this user ("uid:gid"), e.g. to check that the proxy's uid bypasses interception. */
  user?: string;
}

/** Runs the agent's closed-model load inside the loadgen container and returns its decoded result. */
export async function runLoad(dockerode: Dockerode, containerId: string, spec: AgentSpec, options: AgentRunOptions = {}): Promise<AgentResult> {
  return runAgent(dockerode, containerId, 'load', spec, agentResultSchema, options);
}

export const bareAutocannonSchema = z.object({
  event: z.literal('bare'),
  requests: z.number(),
  durationS: z.number(),
  latencyP50Ms: z.number(),
  errors: z.number(),
});

/** autocannon without sidecar-bench's hooks (the self-check's reference). */
export async function runBareAutocannon(dockerode: Dockerode, containerId: string, spec: AgentSpec): Promise<z.infer<typeof bareAutocannonSchema>> {
  return runAgent(dockerode, containerId, 'bare', spec, bareAutocannonSchema, {});
}

/** One request through the pod's real path; its headers say which proxies it crossed. */
export async function runProbe(dockerode: Dockerode, containerId: string, spec: AgentSpec, options: AgentRunOptions = {}): Promise<AgentProbe> {
  return runAgent(dockerode, containerId, 'probe', spec, agentProbeSchema, options);
}

async function runAgent<T>(
  dockerode: Dockerode,
  containerId: string,
  mode: 'load' | 'probe' | 'bare',
  spec: AgentSpec,
  schema: z.ZodType<T>,
  options: AgentRunOptions,
): Promise<T> {
  const encoded = encodeAgentSpec(spec);
  // stdin stays attached and is never written: when this process dies (even by SIGKILL) the engine
  // closes it, and the agent, told so by AGENT_STDIN_WATCH_ENV, stops sending at once.
  const exec = await dockerode.getContainer(containerId).exec({
    Cmd: ['node', ...AGENT_NODE_FLAGS, AGENT_PATH, mode, encoded],
    Env: [`${AGENT_STDIN_WATCH_ENV}=1`],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    ...(options.user ? { User: options.user } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: true });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  dockerode.modem.demuxStream(stream, stdout, stderr);
  const stdoutChunks: string[] = [];
  const stderrLines: string[] = [];
  stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk.toString()));
  let pending = '';
  stderr.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) handleStderrLine(line, stderrLines, options.onProgress);
  });

  const onAbort: { listener?: () => void } = {};
  await new Promise<void>((resolve, reject) => {
    onAbort.listener = () => reject(new BenchError('SB_INTERRUPTED', 'interrupted while load was running'));
    if (options.signal?.aborted) return onAbort.listener();
    options.signal?.addEventListener('abort', onAbort.listener, { once: true });
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', reject);
  }).finally(() => {
    // One run makes dozens of agents on one signal: a listener left behind per agent would pile up.
    if (onAbort.listener) options.signal?.removeEventListener('abort', onAbort.listener);
    // Closing our side ends the agent's stdin: an agent still running (interrupted) stops sending.
    stream.destroy();
  });
  if (pending) handleStderrLine(pending, stderrLines, options.onProgress);

  const { ExitCode: exitCode } = await exec.inspect();
  const lastLine = stdoutChunks.join('').trim().split('\n').pop() ?? '';
  if (exitCode !== 0 || !lastLine) {
    throw new BenchError('SB_LOAD_FAILED', `the load agent (${mode}) failed with exit code ${exitCode}`, stderrLines.slice(-10));
  }
  try {
    return schema.parse(JSON.parse(lastLine));
  } catch (error) {
    throw new BenchError('SB_LOAD_FAILED', `the load agent (${mode}) answered something unreadable: ${describeError(error)}`, [lastLine.slice(0, 300)]);
  }
}

function handleStderrLine(line: string, log: string[], onProgress?: (progress: AgentProgress) => void): void {
  if (!line.trim()) return;
  try {
    const parsed = agentProgressSchema.safeParse(JSON.parse(line));
    if (parsed.success) {
      onProgress?.(parsed.data);
      return;
    }
    const fatal = JSON.parse(line) as { event?: string; message?: string };
    log.push(fatal.event === 'fatal' && fatal.message ? fatal.message : line);
  } catch {
    log.push(line);
  }
}
