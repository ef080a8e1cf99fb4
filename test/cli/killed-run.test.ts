import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RUN_ID_LABEL } from '../../src/runtime/run-resources.js';
import { OWNER_PID_LABEL } from '../../src/runtime/run-owner.js';
import { CLI, PROJECT_DIR, runCli } from '../support/cli.js';
import { dockerForTests } from '../support/docker.js';

const dockerode = await dockerForTests();

// A long measured window: an agent that stops within seconds of the kill stopped because of it.
const SCENARIO = `name: killed
topologies: [app-only, sidecar]
load:
  connections: 4
  warmup: 1s
  duration: 60s
trials: 1
warmupRounds: 0   # the test waits for the progress line of a measured trial
`;

async function resourcesOf(docker: Dockerode, runId: string): Promise<string[]> {
  const filters = { label: [`${RUN_ID_LABEL}=${runId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return [...containers.map((container) => `container ${container.Names[0]}`), ...networks.map((network) => `network ${network.Name}`)];
}

async function agentProcesses(docker: Dockerode, containerId: string): Promise<string[]> {
  const top = (await docker.getContainer(containerId).top({ ps_args: '-eo pid,args' })) as { Processes?: string[][] };
  return (top.Processes ?? []).map((row) => row.join(' ')).filter((line) => line.includes('loadgen-agent'));
}

describe.skipIf(!dockerode)('a run killed with SIGKILL', () => {
  it('leaves labelled resources whose agent stops; doctor reports them and clean removes every one', async () => {
    const docker = dockerode as Dockerode;
    const work = await mkdtemp(join(tmpdir(), 'sidecar-bench-sigkill-'));
    await writeFile(join(work, 'scenario.yaml'), SCENARIO);
    const child = execa('node', [CLI, 'run', join(work, 'scenario.yaml'), '--reports-dir', join(work, 'reports')], { cwd: PROJECT_DIR, reject: false, all: true });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`first trial never started:\n${output}`)), 240_000);
      child.all?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/Trial 1\/2: app-only/.test(output)) {
          clearTimeout(timer);
          setTimeout(resolve, 3000);
        }
      });
    });

    // This run's resources, by the owner PID in their labels (other runs share the engine).
    const owned = await docker.listContainers({ all: true, filters: { label: [`${OWNER_PID_LABEL}=${child.pid}`] } });
    const runId = owned[0]?.Labels[RUN_ID_LABEL] as string;
    expect(runId, output).toBeTruthy();
    const loadgen = owned.find((container) => container.Labels['io.sidecar-bench.role'] === 'loadgen' && container.Names[0]?.includes('app-only'));
    expect(loadgen, owned.map((container) => container.Names[0]).join(', ')).toBeDefined();
    expect(await agentProcesses(docker, loadgen?.Id as string)).toHaveLength(1);

    child.kill('SIGKILL');
    const killed = await child;
    expect(killed.signal).toBe('SIGKILL');
    const killedAtMs = Date.now();

    // The orphaned agent notices its starter is gone and stops sending, ~55 s before its window ends.
    let agents = await agentProcesses(docker, loadgen?.Id as string);
    while (agents.length > 0 && Date.now() - killedAtMs < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      agents = await agentProcesses(docker, loadgen?.Id as string);
    }
    expect(agents).toEqual([]);
    const leftBehind = await resourcesOf(docker, runId);
    expect(leftBehind.length).toBeGreaterThanOrEqual(4);
    expect(leftBehind).toContain(`network sb-${runId}`);

    try {
      const doctor = await runCli(['doctor']);
      expect(doctor.all).toMatch(new RegExp(`! leftovers .*whose process is gone left resources behind`));
      expect(doctor.all).toContain(`run ${runId}: `);
      expect(doctor.all).toContain(`its process (pid ${child.pid}) has exited`);
      expect(doctor.all).toContain('`sidecar-bench clean` removes them');
      // The init container's rule set, tried in a throwaway container of the init image the run built.
      expect(doctor.all).toMatch(/✔ interception +the init container's 10-part rule set \(2 REDIRECT, 2 owner matches\) installs in a container of sidecar-bench\/init:/);

      const clean = await runCli(['clean']);
      expect(clean.exitCode, clean.all).toBe(0);
      expect(clean.all).toContain(`removing: run ${runId}: `);
      expect(await resourcesOf(docker, runId)).toEqual([]);
    } finally {
      // Whatever failed above, this test's leftovers go.
      await runCli(['clean', '--run', runId]);
    }
  });
});
