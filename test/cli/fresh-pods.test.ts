import { beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/index.js';
import { RUN_ID_LABEL } from '../../src/runtime/run-resources.js';
import { runScenarioText } from '../support/cli.js';
import { dockerForTests } from '../support/docker.js';

const dockerode = await dockerForTests();

const SCENARIO = `name: cli-fresh-pods
topologies: [app-only, sidecar]
load: { connections: 4, warmup: 200ms, duration: 1s }
trials: 3
freshPodsEvery: 2
`;

describe.skipIf(!dockerode)('sidecar-bench run with fresh pods every 2 rounds (built CLI, real containers)', () => {
  let results: Results;
  let output: string;
  let exitCode: number | undefined;

  beforeAll(async () => {
    const made = await runScenarioText('fresh-pods', SCENARIO);
    output = made.run.all;
    exitCode = made.run.exitCode;
    results = made.results;
  });

  it('starts every arm on new pods before round 3, runs one discarded round on them, and says which set each trial ran on', () => {
    expect(exitCode, output).toBe(0);
    expect(output).toContain('Fresh pods for every arm (pod set 2, every 2 rounds)');
    expect(output).toMatch(/app-only \(warm-up on pod set 2, discarded\)/);
    expect(output).toMatch(/sidecar \(warm-up on pod set 2, discarded\)/);
    expect(output).toContain('fresh pods (1 × 2 topologies');
    expect(results.trials.map((trial) => [trial.topology, trial.round, trial.podSet, trial.state])).toEqual([
      ['app-only', 0, 0, 'ok'],
      ['sidecar', 0, 0, 'ok'],
      ['sidecar', 1, 0, 'ok'],
      ['app-only', 1, 0, 'ok'],
      ['app-only', 2, 1, 'ok'],
      ['sidecar', 2, 1, 'ok'],
    ]);
  });

  it('records the second set as other processes (new host PIDs), each arm with the same containers', () => {
    for (const topology of results.topologies) {
      expect(topology.laterPodSets, topology.name).toHaveLength(1);
      const later = topology.laterPodSets?.[0] ?? [];
      const roles = (pods: typeof later) => pods.flatMap((pod) => pod.containers.map((container) => `${pod.name}/${container.role}`));
      expect(roles(later)).toEqual(roles(topology.pods));
      const firstPids = new Set(topology.pods.flatMap((pod) => pod.containers.map((container) => container.hostPid)));
      for (const pod of later) for (const container of pod.containers) expect(firstPids.has(container.hostPid), `${pod.name}/${container.role}`).toBe(false);
    }
  });

  it('leaves no container of either set behind', async () => {
    const left = await dockerode?.listContainers({ all: true, filters: { label: [`${RUN_ID_LABEL}=${results.run.id}`] } });
    expect(left).toEqual([]);
  });
});
