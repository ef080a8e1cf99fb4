import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeResults } from '../../src/analysis/index.js';
import type { BenchError } from '../../src/errors.js';
import { evaluateGates } from '../../src/gate/index.js';
import { decodeHistogram } from '../../src/hdr/histogram.js';
import { runLoad } from '../../src/load/run-agent.js';
import { haproxyDriver } from '../../src/proxies/haproxy/driver.js';
import type { Results } from '../../src/results/index.js';
import { checkPath, type StartedTopology } from '../../src/runner/pods-for-run.js';
import { agentLoadOf } from '../../src/runner/load-spec.js';
import { startPod } from '../../src/runtime/pod.js';
import { APP_PORT } from '../../src/runtime/topology.js';
import { parseScenario } from '../../src/scenario/index.js';
import { dockerForTests, leftovers } from '../support/docker.js';
import { setUpTestPods, type TestPods } from '../support/pods.js';

const dockerode = await dockerForTests();
const SCENARIO = parseScenario(
  [
    'topologies: [sidecar]',
    'load: { model: open, rate: 500/s, connections: 4, warmup: 500ms, duration: 4s, timeout: 2s }',
    'placement: { cpusets: none }',
    'gates: { thresholds: [ { metric: latency, statistic: p50, max: 100ms }, { metric: latency, statistic: p99, max: 100ms } ] }',
  ].join('\n'),
  'inline.yaml',
);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!dockerode)('every hop is proven by the proxies’ own counters (sidecar topology, HAProxy)', () => {
  const docker = dockerode as Dockerode;
  let pods: TestPods;
  let topology: StartedTopology;

  beforeAll(async () => {
    pods = await setUpTestPods(docker, 'pathcheck');
    const plan = pods.plan('sidecar', SCENARIO);
    const server = await startPod(plan.server, pods.context);
    const client = await startPod(plan.client, pods.context);
    topology = { plan, client, server, record: { name: 'sidecar', description: '', pods: [] }, ...(haproxyDriver.readStats ? { readStats: haproxyDriver.readStats } : {}) };
  });

  afterAll(async () => {
    expect(await pods.resources.removeAll()).toEqual([]);
    expect((await leftovers(docker)).filter((name) => name.includes(pods.resources.runId))).toEqual([]);
  });

  it('passes when the probe crosses the client outbound and the server inbound sidecar', async () => {
    await expect(checkPath(docker, topology, agentLoadOf(SCENARIO))).resolves.toBeUndefined();
  });

  it('fails, naming the missing hop, when the client sidecar is bypassed (the probe runs as the proxy uid 1337)', async () => {
    const error = (await checkPath(docker, topology, agentLoadOf(SCENARIO), { user: '1337:1337' }).catch((caught: unknown) => caught)) as BenchError;
    expect(error.code).toBe('SB_PATH_CHECK_FAILED');
    expect(error.message).toBe('the request path of sidecar is not as built:');
    // The server sidecar still answers (its header is there): only the counters see the missing hop.
    expect(error.details).toStrictEqual(['the client sidecar (outbound) counted 0 of the 1 probe requests: the path bypassed it']);
  });

  it('a run whose app dies mid-trial behind the sidecars does not pass a latency gate', async () => {
    const loadgen = topology.client.containers.find((container) => container.role === 'loadgen')?.id as string;
    const app = topology.server.containers.find((container) => container.role === 'app');
    const load = runLoad(docker, loadgen, { ...agentLoadOf(SCENARIO), host: topology.server.ip, port: APP_PORT, seed: 1 });
    // 0.2 s to start the agent + 0.5 s warm-up + 1.5 s into the 4 s window: the app's process is killed.
    await sleep(2_200);
    await docker.getContainer(app?.id as string).kill({ signal: 'SIGKILL' });
    const { event: _event, ...result } = await load;

    // HAProxy retries the refused app connection (a 1 s turn-around per retry), so requests hang
    // until the client's 2 s timeout and the pool of 4 connections stops the schedule: failures and
    // unsent requests, none of them in the latency.
    const failed = result.connectionErrors + result.timeouts + (result.unansweredAtEnd ?? 0) + (result.responses - (result.okResponses ?? 0));
    expect(failed).toBeGreaterThan(0);
    expect(result.okResponses).toBeGreaterThan(100);
    expect(decodeHistogram(result.histograms.latencyUs).totalCount).toBe(result.okResponses);
    expect(decodeHistogram(result.histograms.failedLatencyUs as string).totalCount).toBe(failed);

    const results: Results = {
      schemaVersion: 1,
      tool: { name: 'sidecar-bench', version: 'test' },
      run: { id: 'kill', startedAt: '', finishedAt: '', status: 'complete' },
      scenario: { ...SCENARIO },
      host: { cpuModel: 'x', logicalCores: 2, aesNi: true, avx2: true, kernel: 'k', os: 'o', dockerVersion: 'd', nodeVersion: 'n', cgroupVersion: 1 },
      images: {},
      proxyVersions: {},
      topologies: [{ name: 'sidecar', description: '', pods: [] }],
      trials: [{ state: 'ok', topology: 'sidecar', round: 0, startedAt: '', load: result, resources: { intervalMs: 250, samples: [] } }],
      summary: undefined,
    };
    const summary = summarizeResults(results);
    expect(summary.topologies[0]?.latencyProblems.length).toBeGreaterThan(0);
    expect(summary.topologies[0]?.latencyProblems.join('; ')).toMatch(/^round 1: (\d+\.\d+ % of requests failed|the rate of 500\/s was not sustained)/);
    const gate = evaluateGates({ results, summary, gates: SCENARIO.gates });
    const verdicts = gate.checks.map((check) => [check.name, check.verdict]);
    expect(verdicts.slice(0, 2)).toStrictEqual([
      ['sidecar: latency p50 ≤ 100ms', 'fail'],
      ['sidecar: latency p99 ≤ 100ms', 'fail'],
    ]);
    // When the dead app also stopped the schedule (the pool waits on timeouts), the unkept rate is a failed check of its own.
    const unkept = summary.topologies[0]?.trials.some((trial) => trial.unkeptRate !== undefined);
    expect(verdicts.slice(2)).toStrictEqual(unkept ? [['sidecar: the open-model rate kept in every round', 'fail']] : []);
    expect(gate.verdict).toBe('fail');
  });
});
