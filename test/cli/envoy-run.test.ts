import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeResults } from '../../src/analysis/index.js';
import { DEFAULT_ENVOY_VERSION } from '../../src/proxies/envoy/versions.js';
import { readResults, type Results } from '../../src/results/index.js';
import { runCli } from '../support/cli.js';
import { dockerForTests } from '../support/docker.js';

const dockerode = await dockerForTests();

const ENVOY_SCENARIO = `name: cli-envoy
topologies: [app-only, sidecar, ebpf]
proxy: { profile: envoy }
load:
  connections: 8
  warmup: 1s
  duration: 2s
trials: 1
`;

const HAPROXY_SIDE = ENVOY_SCENARIO.replace('name: cli-envoy', 'name: cli-haproxy').replace('profile: envoy', 'profile: haproxy');

describe.skipIf(!dockerode)('sidecar-bench run with Envoy sidecars, HAProxy interleaved (built CLI, real containers)', () => {
  let results: Results;
  let runOutput: string;
  let exitCode: number | undefined;

  beforeAll(async () => {
    const work = await mkdtemp(join(tmpdir(), 'sidecar-bench-envoy-cli-'));
    const reportsDir = join(work, 'reports');
    await writeFile(join(work, 'envoy.yaml'), ENVOY_SCENARIO);
    await writeFile(join(work, 'haproxy.yaml'), HAPROXY_SIDE);
    const run = await runCli(['run', join(work, 'envoy.yaml'), '--interleave-with', join(work, 'haproxy.yaml'), '--reports-dir', reportsDir]);
    runOutput = run.all;
    exitCode = run.exitCode;
    // Exit 1 is the gate's verdict on the paired arms (the default regressions judge app-only, which has
    // no interleaved twin); the run itself must complete (exit 2 would be a run that could not be made).
    if (exitCode === 0 || exitCode === 1) {
      const [folder] = await readdir(reportsDir);
      results = await readResults(join(reportsDir, folder as string, 'results.json'));
    }
  });

  it('exits 0 and records each proxy’s own version (asked of its own sidecar) and Envoy’s image', () => {
    expect([0, 1], runOutput).toContain(exitCode);
    expect(results.run.status).toBe('complete');
    expect(results.proxyVersions.haproxy).toMatch(/^HAProxy version 2\./);
    expect(results.proxyVersions.envoy).toContain(`/${DEFAULT_ENVOY_VERSION}/`);
    expect(results.images.envoy?.tag).toMatch(new RegExp(`^(sidecar-bench/envoy:${DEFAULT_ENVOY_VERSION.replace(/\./g, '\\.')}-[0-9a-f]{12}|envoyproxy/envoy:v${DEFAULT_ENVOY_VERSION.replace(/\./g, '\\.')})$`));
  });

  it('carries every sidecar request through Envoy, whose native upstream-time header is on every response', () => {
    const sidecar = summarizeResults(results).topologies.find((topology) => topology.topology === 'sidecar');
    expect(sidecar?.responses).toBeGreaterThan(0);
    const errors = sidecar?.errors;
    expect((errors?.connectionErrors ?? 0) + (errors?.timeouts ?? 0) + (errors?.non2xx ?? 0)).toBe(0);
    expect(sidecar?.perRequest.upstreamHeaderShare).toBe(1);
  });

  it('measures CPU and context switches of the Envoy processes, and HAProxy’s in the interleaved arm', () => {
    const sidecarsOf = (arm: string) => summarizeResults(results).topologies.find((topology) => topology.topology === arm)?.resources.filter((container) => container.role === 'sidecar') ?? [];
    expect(sidecarsOf('sidecar-baseline').map((sidecar) => sidecar.processNames)).toStrictEqual([['haproxy'], ['haproxy']]);
    const sidecars = sidecarsOf('sidecar');
    expect(sidecars).toHaveLength(2);
    for (const sidecar of sidecars) {
      expect(sidecar.processNames).toContain('envoy');
      expect(sidecar.cpuSeconds).toBeGreaterThan(0);
      expect(sidecar.voluntaryCtxSwitches + sidecar.involuntaryCtxSwitches).toBeGreaterThan(0);
    }
  });

  it('runs the ebpf topology with Envoy as with HAProxy: every request answered, both mechanisms’ counters moving', () => {
    for (const arm of ['ebpf', 'ebpf-baseline']) {
      const trials = results.trials.filter((trial) => trial.topology === arm);
      expect(trials.map((trial) => trial.state), arm).toEqual(['ok']);
      const trial = trials[0];
      if (trial?.state !== 'ok') continue;
      expect(trial.load.responses, arm).toBeGreaterThan(0);
      expect(trial.load.okResponses, arm).toBe(trial.load.responses);
      // Envoy's original_dst listener filter asks SO_ORIGINAL_DST, answered by cgroup/getsockopt.
      expect(trial.bpf?.counters.messagesRedirected, arm).toBeGreaterThan(0);
      expect(trial.bpf?.counters.connectsRewritten, arm).toBeGreaterThan(0);
      expect(trial.bpf?.counters.originalDstAnswered, arm).toBeGreaterThan(0);
    }
    const envoySidecars = summarizeResults(results).topologies.find((topology) => topology.topology === 'ebpf')?.resources.filter((container) => container.role === 'sidecar');
    expect(envoySidecars?.map((sidecar) => sidecar.processNames.includes('envoy'))).toEqual([true, true]);
  });
});
