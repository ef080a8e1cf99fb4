import type Dockerode from 'dockerode';
import { BenchError } from '../errors.js';
import { APP_SERVICE_TIME_HEADER, UPSTREAM_SERVICE_TIME_HEADER } from '../load/headers.js';
import { runProbe } from '../load/run-agent.js';
import type { AgentSpec } from '../load/agent-protocol.js';
import type { Progress } from '../progress.js';
import type { TopologyRecord } from '../results/schema.js';
import { startPod, type PodContext, type StartedPod } from '../runtime/pod.js';
import { appPortFor, type TopologyPlan } from '../runtime/topology.js';
import type { ProxyDriver } from '../proxies/driver.js';
import { planLoadOf } from './load-spec.js';
import { isExpectedFaultAnswer } from './fault-probe.js';
import { expectedHops, hopCount, missingHops, readHopRequests } from './path-check.js';

export interface StartedTopology {
  plan: TopologyPlan;
  client: StartedPod;
  server: StartedPod;
  record: TopologyRecord;
  /** The arm's proxy's counters: the path check reads them around the probe and every trial. */
  readStats?: ProxyDriver['readStats'];
}

/** What attaches an interception outside the pods' network namespaces (eBPF), once both pods run; returns its record. */
export type AttachInterception = (plan: TopologyPlan, client: StartedPod, server: StartedPod) => Promise<TopologyRecord['bpf']>;

export function loadgenOf(topology: StartedTopology): string {
  const loadgen = topology.client.containers.find((container) => container.role === 'loadgen');
  if (!loadgen) throw new Error(`topology ${topology.plan.arm} has no loadgen container`);
  return loadgen.id;
}

/** Starts both pods of a topology and proves the request path before any load is sent. */
export async function startTopology(
  plan: TopologyPlan,
  description: string,
  context: PodContext,
  progress: Progress,
  probeSpec: Omit<AgentSpec, 'host' | 'port'>,
  attach?: AttachInterception,
  readStats?: ProxyDriver['readStats'],
): Promise<StartedTopology> {
  const task = progress.start(`Starting ${plan.arm}`);
  try {
    const server = await startPod(plan.server, context);
    task.update(`server pod up (${server.ip}); starting client pod`);
    const client = await startPod(plan.client, context);
    if (attach && plan.interception.bpf) task.update('attaching the eBPF programs to the pods’ cgroups');
    const bpf = attach && plan.interception.bpf ? await attach(plan, client, server) : undefined;
    const topology: StartedTopology = { plan, client, server, record: { ...toRecord(plan, description, client, server), ...(bpf ? { bpf } : {}) }, ...(readStats ? { readStats } : {}) };
    task.update('probing the request path');
    await checkPath(context.dockerode, topology, probeSpec);
    task.succeed(`${plan.arm} up; request path checked`);
    return topology;
  } catch (error) {
    task.fail();
    throw error;
  }
}

/**
 * One request from the load generator must come back 200 with the app's header, with the proxy's
 * header exactly when the topology has a sidecar, and counted by every sidecar it should cross
 * (their own request counters, see path-check.ts): otherwise interception is not what the topology
 * claims, and every figure would be mislabelled. `user` runs the probe as another uid (tests: the
 * proxy's uid 1337 bypasses outbound interception).
 */
export async function checkPath(dockerode: Dockerode, topology: StartedTopology, probeSpec: Omit<AgentSpec, 'host' | 'port'>, options: { user?: string } = {}): Promise<void> {
  const { protocol } = topology.plan;
  // WebSocket and TCP messages carry no proxy header: their hops are proven by the proxies' connection counters alone.
  const count = hopCount(protocol, 1, 1);
  const hops = topology.readStats ? expectedHops(topology.client, topology.server) : [];
  const before = topology.readStats ? await readHopRequests(topology.readStats, hops, count.what) : [];
  const answer = await runProbe(dockerode, loadgenOf(topology), { ...planLoadOf(probeSpec, topology.plan), host: topology.server.ip, port: appPortFor(protocol) }, options);
  const after = topology.readStats ? await readHopRequests(topology.readStats, hops, count.what) : [];
  const expectProxy = topology.plan.definition.clientSidecar || topology.plan.definition.serverSidecar;
  const problems: string[] = [];
  // A fault arm's own failure (fault-probe.ts): a proxy's answer, proven by the hop counters below.
  const faultAnswer = expectProxy && isExpectedFaultAnswer(topology.plan.fault, answer.statusCode);
  if (answer.statusCode !== 200 && !faultAnswer) problems.push(`status ${answer.status ?? answer.statusCode}, expected ${count.what === 'connections' ? 'a whole echo' : '200'}`);
  if (answer.headers[APP_SERVICE_TIME_HEADER] === undefined && !faultAnswer) problems.push(`no ${APP_SERVICE_TIME_HEADER}: the app did not answer`);
  if (count.what === 'requests' && !faultAnswer) {
    const proxied = answer.headers[UPSTREAM_SERVICE_TIME_HEADER] !== undefined;
    if (expectProxy && !proxied) problems.push(`no ${UPSTREAM_SERVICE_TIME_HEADER} header: the request bypassed the sidecar`);
    if (!expectProxy && proxied) problems.push(`${UPSTREAM_SERVICE_TIME_HEADER} present: a proxy answered in a topology without one`);
  }
  problems.push(...missingHops(hops, before, after, 1, count.what === 'connections' ? `probe ${protocol} connections` : 'probe requests'));
  if (problems.length > 0) {
    throw new BenchError('SB_PATH_CHECK_FAILED', `the request path of ${topology.plan.arm} is not as built:`, problems, 'Check the init container rules (results.json keeps them) and the sidecar logs.');
  }
}

function toRecord(plan: TopologyPlan, description: string, client: StartedPod, server: StartedPod): TopologyRecord {
  return {
    name: plan.arm,
    description,
    interception: plan.interception.name,
    ...(plan.protocol !== 'http1' ? { protocol: plan.protocol } : {}),
    pods: [client, server].map((pod) => ({
      name: pod.name,
      side: pod.side,
      ip: pod.ip,
      ...(pod.cpus ? { cpus: pod.cpus } : {}),
      interception: pod.interceptionTable !== undefined,
      ...(pod.sysctls ? { sysctls: pod.sysctls } : {}),
      containers: pod.containers.map((container) => ({ name: container.name, role: container.role, image: container.image, hostPid: container.hostPid, ...(container.resources ? { resources: container.resources } : {}) })),
    })),
  };
}
