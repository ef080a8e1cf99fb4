import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeResults } from '../../src/analysis/index.js';
import { buildReportCharts } from '../../src/report/index.js';
import { readResults, type Results } from '../../src/results/index.js';
import { dockerForTests, leftovers } from '../support/docker.js';
import { runCli } from '../support/cli.js';
import { MISSING_CHROMIUM, chromiumPresent, visitReport } from '../support/browser.js';

const dockerode = await dockerForTests();

const SHORT_SCENARIO = `name: cli-short
topologies: [app-only, sidecar-inbound, sidecar]
load:
  connections: 8
  warmup: 1s
  duration: 2s
trials: 1
`;

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sidecar-bench-${prefix}-`));
}

async function onlyRunFolder(reportsDir: string): Promise<string> {
  const entries = await readdir(reportsDir);
  expect(entries).toHaveLength(1);
  return join(reportsDir, entries[0] as string);
}

describe.skipIf(!dockerode)('sidecar-bench run (built CLI, real containers)', () => {
  const docker = dockerode as Dockerode;
  let reportsDir: string;
  let results: Results;
  let runOutput: string;
  let exitCode: number | undefined;

  beforeAll(async () => {
    const work = await tempDir('cli');
    reportsDir = join(work, 'reports');
    await writeFile(join(work, 'short.yaml'), SHORT_SCENARIO);
    const run = await runCli(['run', join(work, 'short.yaml'), '--reports-dir', reportsDir]);
    runOutput = run.all;
    exitCode = run.exitCode;
    if (exitCode === 0) results = await readResults(join(await onlyRunFolder(reportsDir), 'results.json'));
  });

  it('exits 0 and writes a valid results.json and index.html', async () => {
    expect(exitCode, runOutput).toBe(0);
    const folder = await onlyRunFolder(reportsDir);
    expect(folder).toMatch(/cli-short-\d{8}T\d{6}Z$/);
    expect(existsSync(join(folder, 'index.html'))).toBe(true);
    expect(results.run.status).toBe('complete');
    // A healthy run has no findings: a false alarm would be a defect.
    expect(summarizeResults(results).findings).toStrictEqual([]);
    expect(runOutput).not.toContain('Findings (');
    expect(runOutput).toContain('removed every container and the network of this run');
    // Said before anything starts: 1 round × 3 topologies × (1 s + 2 s + 0.5 s) + 5 s + 3 × 3 s.
    expect(runOutput).toContain('planned wall time: (1 warm-up + 1) rounds × 3 topologies × (1 s warm-up + 2 s measured + 500 ms per-trial overhead) + start-up (5 s + 3 × 3 s pods) = 35 s');
    // The warm-up round (warmupRounds defaults to 1) ran and was thrown away: only round 0 is data.
    expect(runOutput).toContain('Trial 1/6: app-only (warm-up round 1/1, discarded)');
    expect(results.trials.map((trial) => [trial.topology, trial.round])).toStrictEqual([['app-only', 0], ['sidecar-inbound', 0], ['sidecar', 0]]);
    expect(runOutput.indexOf('planned wall time')).toBeLessThan(runOutput.indexOf('Probing this machine'));
  });

  it('measures three topologies, each with percentiles, requests and no errors', () => {
    const summary = summarizeResults(results);
    expect(summary.topologies.map((topology) => topology.topology)).toEqual(['app-only', 'sidecar-inbound', 'sidecar']);
    for (const topology of summary.topologies) {
      expect(topology.responses).toBeGreaterThan(0);
      expect(topology.errors.connectionErrors + topology.errors.timeouts + topology.errors.non2xx).toBe(0);
      const { p50Us, p90Us, p99Us, p999Us } = topology.latency;
      expect(0 < p50Us && p50Us <= p90Us && p90Us <= p99Us && p99Us <= p999Us).toBe(true);
    }
  });

  it('sees the proxy hop: sidecar topologies are slower at P50 and carry the header-based overhead', () => {
    const summary = summarizeResults(results);
    const [appOnly, inbound, both] = summary.topologies;
    expect(inbound?.latency.p50Us).toBeGreaterThan(appOnly?.latency.p50Us as number);
    expect(both?.latency.p50Us).toBeGreaterThan(appOnly?.latency.p50Us as number);
    expect(appOnly?.perRequest.proxyOverheadUs).toBeUndefined();
    for (const topology of [inbound, both]) {
      expect(topology?.perRequest.upstreamHeaderShare).toBe(1);
      expect(topology?.perRequest.proxyOverheadUs?.count).toBe(topology?.responses);
    }
  });

  it('records CPU and context switches for every proxy process', () => {
    const summary = summarizeResults(results);
    const sidecars = summary.topologies.flatMap((topology) => topology.resources.filter((container) => container.role === 'sidecar'));
    expect(sidecars).toHaveLength(3);
    for (const sidecar of sidecars) {
      expect(sidecar.processNames).toEqual(['haproxy']);
      expect(sidecar.cpuSeconds).toBeGreaterThan(0);
      expect(sidecar.voluntaryCtxSwitches + sidecar.involuntaryCtxSwitches).toBeGreaterThan(0);
      expect(sidecar.rssMaxBytes).toBeGreaterThan(0);
    }
  });

  it('describes itself: host, images, proxy version, resolved scenario', () => {
    expect(results.host.logicalCores).toBeGreaterThan(0);
    // The stall probe watched every CPU before the trials.
    expect(results.host.stalls?.perCpu.map((cpu) => cpu.cpu)).toHaveLength(results.host.logicalCores);
    expect(results.images.haproxy?.tag).toMatch(/^sidecar-bench\/haproxy:[0-9a-f]{12}$/);
    expect(results.proxyVersions.haproxy).toMatch(/^HAProxy version 2\./);
    expect(results.scenario.name).toBe('cli-short');
  });

  it('writes an index.html that draws every chart in Chromium with no network request', async () => {
    if (!chromiumPresent) {
      if (process.env.CI === 'true') throw new Error(`CI=true and ${MISSING_CHROMIUM}`);
      return;
    }
    const expectedCharts = buildReportCharts(summarizeResults(results)).length;
    const visit = await visitReport(join(await onlyRunFolder(reportsDir), 'index.html'), expectedCharts);
    expect(visit.failedRequests).toEqual([]);
    expect(visit.foreignRequests).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.charts.map((chart) => chart.failed)).toEqual(new Array(expectedCharts).fill(false));
  });

  it('leaves no container or network behind', async () => {
    expect(await leftovers(docker)).toEqual([]);
  });

  it('re-makes the report from results.json alone', async () => {
    const out = await tempDir('report');
    const folder = await onlyRunFolder(reportsDir);
    const report = await runCli(['report', join(folder, 'results.json'), '--out', out]);
    expect(report.exitCode, report.all).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(report.all).toContain('sidecar-inbound');
  });
});

describe('bad input', () => {
  it('a malformed scenario gets a one-screen error naming file, line and field, exit 2, and nothing is left behind', async () => {
    const work = await tempDir('bad');
    const path = join(work, 'bad.yaml');
    await writeFile(path, 'topologies: [app-only, sidcar]\nload:\n  connections: ten\n  duration: 10\n  colour: blue\n');
    const run = await runCli(['run', path, '--reports-dir', join(work, 'reports')]);
    expect(run.exitCode).toBe(2);
    expect(run.all).toContain(`${path} is not a valid scenario (4 problems)`);
    expect(run.all).toContain(`${path}:1:24  topologies[1]: unknown topology "sidcar"`);
    expect(run.all).toContain(`${path}:3:16  load.connections:`);
    expect(run.all).toContain(`${path}:4:13  load.duration: expected a duration with a unit`);
    expect(run.all).toContain(`${path}:5:3  load.colour: unknown field`);
    expect(run.all).not.toMatch(/^\s+at /m);
    expect(run.all.split('\n').length).toBeLessThan(20);
    expect(existsSync(join(work, 'reports'))).toBe(false);
  });

  it('--interleave-with refuses a baseline that measures different topologies or load, listing why', async () => {
    const work = await tempDir('pair');
    await writeFile(join(work, 'candidate.yaml'), 'topologies: [app-only, sidecar]\nload: { connections: 4, duration: 2s }\n');
    await writeFile(join(work, 'baseline.yaml'), 'topologies: [app-only]\nload: { connections: 8, duration: 2s }\n');
    const run = await runCli(['run', join(work, 'candidate.yaml'), '--interleave-with', join(work, 'baseline.yaml'), '--reports-dir', join(work, 'reports')]);
    expect(run.exitCode).toBe(2);
    expect(run.all).toContain(`--interleave-with: ${join(work, 'baseline.yaml')} cannot be run beside ${join(work, 'candidate.yaml')}:`);
    expect(run.all).toContain('topologies differ:');
    expect(run.all).toContain('load differs between');
    expect(existsSync(join(work, 'reports'))).toBe(false);
  });

  it('a missing scenario file exits 2 naming it', async () => {
    const run = await runCli(['run', 'scenarios/does-not-exist.yaml']);
    expect(run.exitCode).toBe(2);
    expect(run.all).toContain('cannot read scenario scenarios/does-not-exist.yaml: no such file');
  });

  it('report on a hand-broken results.json exits 2 naming the field', async () => {
    const work = await tempDir('broken');
    const path = join(work, 'results.json');
    await writeFile(path, JSON.stringify({ schemaVersion: 1, tool: { name: 'sidecar-bench', version: '0' }, trials: 'none' }));
    const run = await runCli(['report', path]);
    expect(run.exitCode).toBe(2);
    expect(run.all).toContain(`${path} is not a valid sidecar-bench results file`);
    expect(run.all).toContain('trials:');
    expect(run.all).not.toMatch(/^\s+at /m);
  });
});

