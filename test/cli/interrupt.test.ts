import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/results/index.js';
import { CLI, PROJECT_DIR } from '../support/cli.js';
import { waitForOutput } from '../support/child-output.js';
import { dockerForTests, leftovers } from '../support/docker.js';

const dockerode = await dockerForTests();

const SCENARIO = `name: interrupted
topologies: [app-only, sidecar]
load:
  connections: 4
  warmup: 1s
  duration: 6s
trials: 1
warmupRounds: 0   # the test waits for the progress line of a measured trial
`;

describe.skipIf(!dockerode)('Ctrl-C during a run', () => {
  it('removes every container and network, keeps the trials already measured, exits 130', async () => {
    const work = await mkdtemp(join(tmpdir(), 'sidecar-bench-sigint-'));
    const reportsDir = join(work, 'reports');
    await writeFile(join(work, 'scenario.yaml'), SCENARIO);
    const child = execa('node', [CLI, 'run', join(work, 'scenario.yaml'), '--reports-dir', reportsDir], { cwd: PROJECT_DIR, reject: false, all: true });
    // SIGINT once the second trial (sidecar) is under load: after its warm-up has begun.
    try {
      await waitForOutput(child, /Trial 2\/2: sidecar/, { timeoutMs: 180_000, thenMs: 2500 });
    } finally {
      child.kill('SIGINT');
    }
    const result = await child;
    expect(result.exitCode, result.all).toBe(130);
    expect(result.all).toContain('SIGINT received');
    expect(result.all).toContain('removed every container and the network of this run');
    expect(await leftovers(dockerode as Dockerode)).toEqual([]);

    const [folder] = await readdir(reportsDir);
    const results = await readResults(join(reportsDir, folder as string, 'results.json'));
    expect(results.run.status).toBe('interrupted');
    expect(results.trials.map((trial) => [trial.topology, trial.state])).toEqual([['app-only', 'ok']]);
    expect(existsSync(join(reportsDir, folder as string, 'index.html'))).toBe(true);
  });
});
