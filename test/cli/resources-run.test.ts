import type Dockerode from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose, summarizeResults } from '../../src/analysis/index.js';
import type { Results } from '../../src/results/index.js';
import { SEED_SYSCTLS } from '../../src/kubernetes/index.js';
import { dockerForTests, leftovers } from '../support/docker.js';
import { runScenarioText } from '../support/cli.js';

const dockerode = await dockerForTests();

/** Sysctls unlike both the kernel's defaults and the seed's, so reading them back proves they were set in this pod. */
const TUNED = { 'net.core.somaxconn': '2048', 'net.ipv4.tcp_fin_timeout': '17', 'net.ipv4.ip_local_port_range': '20000 40000', 'net.ipv4.tcp_tw_reuse': '1' };

/**
 * One short run, three arms, shared by every test below: app-only with its own sysctls; a sidecar
 * whose memory limit is below what HAProxy needs under this load (OOM-killed in round 1, so the
 * arms after it in round 1 and every arm of round 2 show the run went on); a sidecar limited to
 * 100m CPU at a rate it cannot carry (HAProxy here spends ~50 µs of CPU per request: 3000 req/s
 * needs ~0.15 vCPU).
 */
const SCENARIO = `name: resources-check
arms:
  - { topology: app-only, sysctls: { net.core.somaxconn: 2048, net.ipv4.tcp_fin_timeout: 17, net.ipv4.ip_local_port_range: "20000 40000", net.ipv4.tcp_tw_reuse: 1 } }
  - { name: oom, topology: sidecar-inbound, resources: { sidecar: { limits: { memory: 8Mi } } } }
  - { name: throttled, topology: sidecar-inbound, resources: { sidecar: { requests: { cpu: 100m }, limits: { cpu: 100m } } } }
load:
  model: open
  rate: 3000/s
  connections: 64
  warmup: 1s
  duration: 2s
  saturation: { connections: 512, duration: 1s }
trials: 2
warmupRounds: 0
`;

describe.skipIf(!dockerode)('resources and sysctls on real containers (built CLI)', () => {
  const docker = dockerode as Dockerode;
  let results: Results;
  let output: string;
  let exitCode: number | undefined;

  beforeAll(async () => {
    const made = await runScenarioText('resources', SCENARIO);
    output = made.run.all;
    exitCode = made.run.exitCode;
    results = made.results;
  });

  it('marks the OOM-killed sidecar’s arm failed with OOMKilled, keeps the other arms’ results and exits 2', () => {
    expect(exitCode, output).toBe(2);
    expect(results.run.status).toBe('complete');
    const oom = results.topologies.find((topology) => topology.name === 'oom');
    expect(oom?.failure?.reason).toBe('OOMKilled');
    expect(oom?.failure?.oomKills.map((kill) => [kill.role, kill.memoryLimitBytes])).toStrictEqual([['sidecar', 8 * 1024 ** 2]]);
    const byArm = (arm: string) => results.trials.filter((trial) => trial.topology === arm).map((trial) => [trial.round, trial.state, trial.state === 'failed' ? trial.error.code : undefined]);
    // Killed in its first trial, skipped after; the others ran both rounds, after it too.
    expect(byArm('oom')).toStrictEqual([[0, 'failed', 'SB_OOM_KILLED']]);
    expect(byArm('app-only')).toStrictEqual([[0, 'ok', undefined], [1, 'ok', undefined]]);
    expect(byArm('throttled')).toStrictEqual([[0, 'ok', undefined], [1, 'ok', undefined]]);
    expect(output).toContain('OOMKilled');
    expect(diagnose(results).find((finding) => finding.kind === 'oom-killed')?.arms).toStrictEqual(['oom']);
  });

  it('throttles the 100m sidecar: its cgroup has the kubelet’s quota and counts throttled periods in every trial', () => {
    const throttled = results.topologies.find((topology) => topology.name === 'throttled');
    const sidecar = throttled?.pods.flatMap((pod) => pod.containers).find((container) => container.role === 'sidecar');
    expect(sidecar?.resources).toStrictEqual({ requests: { cpuMilli: 100 }, limits: { cpuMilli: 100 }, cgroup: { cpuShares: 102, cpuPeriodUs: 100_000, cpuQuotaUs: 10_000 } });
    const summary = summarizeResults(results).topologies.find((topology) => topology.topology === 'throttled');
    expect(summary?.trials).toHaveLength(2);
    for (const trial of summary?.trials ?? []) {
      const resources = trial.resources.find((container) => container.role === 'sidecar');
      expect(resources?.cfsPeriods).toBeGreaterThan(0);
      expect(resources?.throttledPeriods).toBeGreaterThan(0);
      expect(resources?.throttledUs).toBeGreaterThan(0);
      // A 10 ms quota per 100 ms: the sidecar cannot use more than 0.1 of a core (plus the sampling edges).
      expect(resources?.cgroupVcpu).toBeLessThan(0.15);
    }
    // The seed's "CPU throttling" symptom, with the throttled sidecar as its evidence (h13's diagnosis reads these counters).
    const throttling = diagnose(results).find((finding) => finding.kind === 'cpu-throttling');
    expect(throttling?.arms).toStrictEqual(['throttled']);
    expect(throttling?.evidence.every((entry) => String(entry.values.container).endsWith('-server-sidecar') && Number(entry.values.throttledPeriods) > 0)).toBe(true);
    // Unconstrained containers never enter a CFS period.
    const app = summary?.resources.find((container) => container.role === 'app');
    expect(app?.throttledPeriods ?? 0).toBe(0);
  });

  it('reads each pod’s sysctls back from inside it: the arm’s own, and the seed’s where the arm sets none', () => {
    const podsOf = (arm: string) => results.topologies.find((topology) => topology.name === arm)?.pods ?? [];
    expect(podsOf('app-only').map((pod) => pod.sysctls)).toStrictEqual([TUNED, TUNED]);
    expect(podsOf('throttled').map((pod) => pod.sysctls)).toStrictEqual([SEED_SYSCTLS, SEED_SYSCTLS]);
  });

  it('leaves no container or network of this run behind', async () => {
    // Other runs may share the engine (CI runs one file at a time; a developer may not): only this run's names count.
    expect((await leftovers(docker)).filter((name) => name.includes(`sb-${results.run.id}`))).toEqual([]);
  });
});
