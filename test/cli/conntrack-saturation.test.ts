/**
 * scenarios/faults/conntrack-saturation.yaml on real containers, through the built CLI: the fault
 * arm's server pod fills its conntrack table (the host's global nf_conntrack_max lowered for the
 * trials) and drops SYNs, the NOTRACK arm does not; and the host's limit is back at its original
 * value after a normal end, after Ctrl-C mid-trial, and (through `clean`) after a SIGKILL.
 * Needs root in the host's network namespace; a non-root run is refused with exit 2.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeResults } from '../../src/analysis/index.js';
import { HOST_SETTINGS_DIR } from '../../src/host/host-sysctls.js';
import { readResults, type OkTrial } from '../../src/results/index.js';
import { OWNER_PID_LABEL } from '../../src/runtime/run-owner.js';
import { CLI, PROJECT_DIR, runCli } from '../support/cli.js';
import { waitForOutput } from '../support/child-output.js';
import { dockerForTests } from '../support/docker.js';

const dockerode = await dockerForTests();
const CONNTRACK_MAX = '/proc/sys/net/netfilter/nf_conntrack_max';
const SCENARIO = join(PROJECT_DIR, 'scenarios/faults/conntrack-saturation.yaml');
const isRoot = process.getuid?.() === 0;
const hostMax = () => readFileSync(CONNTRACK_MAX, 'utf8').trim();
/** Host sysctls a run could be suspected of changing: the conntrack limit, and the seed's tunables (set per pod, never on the host). */
const HOST_SYSCTLS = ['net/netfilter/nf_conntrack_max', 'net/core/somaxconn', 'net/ipv4/tcp_fin_timeout', 'net/ipv4/ip_local_port_range', 'net/ipv4/tcp_tw_reuse', 'net/ipv4/ip_forward'];
const hostSysctls = () => Object.fromEntries(HOST_SYSCTLS.map((name) => [name, readFileSync(`/proc/sys/${name}`, 'utf8').trim()]));
const ownRecords = (pid: number | undefined) =>
  existsSync(HOST_SETTINGS_DIR) ? readdirSync(HOST_SETTINGS_DIR).filter((name) => readFileSync(join(HOST_SETTINGS_DIR, name), 'utf8').includes(`"pid": ${pid},`)) : [];

/** The containers and networks a CLI process made (by the owner PID in their labels: other runs share the engine). */
async function madeBy(pid: number | undefined): Promise<string[]> {
  const filters = { label: [`${OWNER_PID_LABEL}=${pid}`] };
  const docker = dockerode as Dockerode;
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
  return [...containers.map((container) => `container ${container.Names[0]}`), ...networks.map((network) => `network ${network.Name}`)];
}

/** The fault scenario with a longer measured window, so a signal lands mid-trial. */
async function longScenario(): Promise<{ work: string; file: string }> {
  const work = await mkdtemp(join(tmpdir(), 'sidecar-bench-conntrack-'));
  const file = join(work, 'conntrack-long.yaml');
  writeFileSync(file, (await readFile(SCENARIO, 'utf8')).replace('duration: 4s', 'duration: 30s'));
  return { work, file };
}

describe.skipIf(!dockerode || !isRoot)('conntrack saturation: the fault, its NOTRACK remedy, and the host limit restored on every path', () => {
  let original = '';
  beforeAll(() => {
    original = hostMax();
  });
  // A test that failed half-way must not leave the machine's table small.
  afterAll(() => {
    if (hostMax() !== original) {
      writeFileSync(CONNTRACK_MAX, original);
      throw new Error(`nf_conntrack_max was left changed; the test put ${original} back`);
    }
  });

  it('fault arm: table full (entries at the limit, SYNs dropped, requests timed out); notrack arm: no drop, no failure; limit restored', async () => {
    const before = hostSysctls();
    const reportsDir = join(await mkdtemp(join(tmpdir(), 'sidecar-bench-conntrack-')), 'reports');
    const child = execa('node', [CLI, 'run', SCENARIO, '--reports-dir', reportsDir], { cwd: PROJECT_DIR, reject: false, all: true, env: { FORCE_COLOR: '0' } });
    const run = await child;
    expect(run.exitCode, run.all).toBe(1);
    expect(run.all).toContain(`lowered the host's net.netfilter.nf_conntrack_max from ${original} to 2048 for the trials`);
    expect(run.all).toContain(`restored the host's net.netfilter.nf_conntrack_max to ${original}`);
    expect(hostSysctls()).toEqual(before);
    expect(ownRecords(child.pid)).toEqual([]);
    expect(await madeBy(child.pid)).toEqual([]);

    const [folder] = await readdir(reportsDir);
    const results = await readResults(join(reportsDir, folder as string, 'results.json'));
    const trials = results.trials.filter((trial): trial is OkTrial => trial.state === 'ok');
    expect(trials.map((trial) => [trial.topology, trial.resources.conntrackMax])).toEqual([
      ['conntrack-full', 2048],
      ['notrack', 2048],
    ]);
    const findings = summarizeResults(results).findings ?? [];
    const full = findings.find((finding) => finding.kind === 'conntrack-full');
    expect(full?.arms, JSON.stringify(findings)).toEqual(['conntrack-full']);
    const evidence = full?.evidence[0];
    expect(evidence?.metric).toBe('pods.conntrack-full-server.conntrack');
    expect(evidence?.values).toMatchObject({ pod: 'conntrack-full-server', peakEntries: 2048, conntrackMax: 2048, peakPercentOfMax: 100 });
    expect(evidence?.values.drop).toBeGreaterThan(0);
    expect(evidence?.values.failed).toBeGreaterThan(0);
    // The kernel's own message, attributed to the pod by its netns inode (/dev/kmsg; rate-limited, so at least one).
    expect(evidence?.values.kernelTableFullMessages).toBeGreaterThan(0);
    expect(evidence?.logLines?.[0]).toMatch(/^kernel \(netns (\d+)\): \[\d+\.\d+\] nf_conntrack: nf_conntrack: table full in netns \1, dropping packet$/);
    expect(evidence?.window && evidence.window.endEpochMs >= evidence.window.startEpochMs).toBe(true);
    // No other finding blames the fault arm's connect failures on something else.
    expect(findings.filter((finding) => finding.arms.includes('conntrack-full')).map((finding) => finding.kind)).not.toContain('upstream-connect-error');

    // The remedy: the sidecar-to-app hop untracked, the server pod keeps only the redirected connections.
    const [fault, remedy] = trials as [OkTrial, OkTrial];
    expect(fault.load.timeouts + fault.load.connectionErrors).toBeGreaterThan(0);
    expect(remedy.load.timeouts + remedy.load.connectionErrors, JSON.stringify(remedy.load.statusCodes)).toBe(0);
    const remedyServer = remedy.resources.samples.flatMap((sample) => (sample.pods?.['notrack-server']?.conntrack ? [sample.pods['notrack-server'].conntrack] : []));
    expect(remedyServer.length).toBeGreaterThan(0);
    expect(Math.max(...remedyServer.map((ct) => ct.entries))).toBeLessThan(1024);
    expect(remedyServer.at(-1)?.drop).toBe(remedyServer[0]?.drop);
    expect(await readFile(join(reportsDir, folder as string, 'summary.md'), 'utf8')).toContain('conntrack-full');
  });

  it('Ctrl-C mid-trial: no host setting is left changed (the limit back at its original value), no container, network or record is left, exit 130', async () => {
    const before = hostSysctls();
    const { work, file } = await longScenario();
    const child = execa('node', [CLI, 'run', file, '--reports-dir', join(work, 'reports')], { cwd: PROJECT_DIR, reject: false, all: true, env: { FORCE_COLOR: '0' } });
    try {
      await waitForOutput(child, /Trial 1\/2: conntrack-full/, { timeoutMs: 240_000, thenMs: 3000 });
      // The interrupt lands while the host's limit is lowered: otherwise this test could not fail.
      expect(hostMax()).toBe('2048');
      expect(ownRecords(child.pid)).toHaveLength(1);
    } finally {
      child.kill('SIGINT');
    }
    const result = await child;
    expect(result.exitCode, result.all).toBe(130);
    expect(result.all).toContain('SIGINT received');
    expect(result.all).toContain(`restored the host's net.netfilter.nf_conntrack_max to ${original}`);
    expect(hostMax()).toBe(original);
    expect(hostSysctls()).toEqual(before);
    expect(ownRecords(child.pid)).toEqual([]);
    expect(await madeBy(child.pid)).toEqual([]);
  });

  it('SIGKILL mid-trial: the record on disk lets `clean` restore the limit (and remove the containers)', async () => {
    const { work, file } = await longScenario();
    const child = execa('node', [CLI, 'run', file, '--reports-dir', join(work, 'reports')], { cwd: PROJECT_DIR, reject: false, all: true, env: { FORCE_COLOR: '0' } });
    try {
      await waitForOutput(child, /Trial 1\/2: conntrack-full/, { timeoutMs: 240_000, thenMs: 2000 });
      child.kill('SIGKILL');
      await child;
      // Killed outright: nothing in the process could restore it.
      expect(hostMax()).toBe('2048');
      expect(ownRecords(child.pid)).toHaveLength(1);
      const clean = await runCli(['clean']);
      expect(clean.exitCode, clean.all).toBe(0);
      expect(clean.all).toMatch(new RegExp(`host setting: net\\.netfilter\\.nf_conntrack_max \\(run \\S+ set 2048, was ${original}\\): restored to ${original}; its process \\(pid ${child.pid}\\) has exited`));
      expect(hostMax()).toBe(original);
      expect(ownRecords(child.pid)).toEqual([]);
      expect(await madeBy(child.pid)).toEqual([]);
    } finally {
      if (hostMax() !== original) writeFileSync(CONNTRACK_MAX, original);
      child.kill('SIGKILL');
    }
  });

  it('refused where the sysctl cannot be written (not root): exit 2, file and field named, nothing made', async () => {
    const work = await mkdtemp(join(tmpdir(), 'sidecar-bench-conntrack-'));
    await execa('chmod', ['777', work]);
    const child = execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', CLI, 'run', SCENARIO, '--reports-dir', join(work, 'reports')], { cwd: PROJECT_DIR, reject: false, all: true, env: { FORCE_COLOR: '0', HOME: work } });
    const result = await child;
    expect(result.exitCode, result.all).toBe(2);
    expect(result.all).toContain(`${SCENARIO}: host.conntrackMax cannot be applied: /proc/sys/net/netfilter/nf_conntrack_max cannot be written (EACCES): changing it needs root in the host's network namespace (this process is not root)`);
    expect(result.all).toContain('hint: Run sidecar-bench as root on the host itself');
    expect(existsSync(join(work, 'reports'))).toBe(false);
    expect(await madeBy(child.pid)).toEqual([]);
    expect(hostMax()).toBe(original);
  });
});
