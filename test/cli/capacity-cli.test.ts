/**
 * The capacity path end to end on real containers: a two-rate sweep of app-only and sidecar
 * (HAProxy), then `sidecar-bench plan` on its results.json, then its report in Chromium. Short on
 * purpose (2 rates × 2 trials × 2 topologies, 1 s windows): it proves the path, not the figures.
 */
import { join } from 'node:path';
import { ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { summarizeResults } from '../../src/analysis/index.js';
import { parseCpuMillis, parseMemoryBytes } from '../../src/kubernetes/index.js';
import { buildReportCharts } from '../../src/report/charts.js';
import type { Results } from '../../src/results/index.js';
import { chromiumPresent, visitReport } from '../support/browser.js';
import { runCli, runScenarioText } from '../support/cli.js';
import { dockerForTests } from '../support/docker.js';

const dockerode = await dockerForTests();

const SCENARIO = `name: cli-capacity
topologies: [app-only, sidecar]
load:
  model: open
  connections: 8
  warmup: 500ms
  duration: 1s
  timeout: 2s
sweep:
  rates: [300/s, 600/s]
  slo: { p99: 50ms, errorRate: 1% }
trials: 2
warmupRounds: 0
`;

describe.skipIf(!dockerode)('capacity: sweep → results → plan → report (built CLI, real containers)', () => {
  let results: Results;
  let folder: string;
  let output: string;
  let exitCode: number | undefined;

  beforeAll(async () => {
    const made = await runScenarioText('capacity', SCENARIO);
    output = made.run.all;
    exitCode = made.run.exitCode;
    folder = made.reportDir;
    results = made.results;
  }, 300_000);

  it('sweeps every topology step by step, interleaved, each trial tagged with its step and a round of its own', () => {
    expect(exitCode, output).toBe(0);
    expect(results.sweep?.arms.map((arm) => [arm.arm, arm.steps.map((step) => step.targetRps)])).toEqual([
      ['app-only', [300, 600]],
      ['sidecar', [300, 600]],
    ]);
    expect(results.trials.map((trial) => [trial.topology, trial.step, trial.round, trial.state])).toEqual([
      // Crossover: each step's second round runs its arms in reverse.
      ['app-only', 0, 0, 'ok'], ['sidecar', 0, 0, 'ok'], ['sidecar', 0, 1, 'ok'], ['app-only', 0, 1, 'ok'],
      ['app-only', 1, 2, 'ok'], ['sidecar', 1, 2, 'ok'], ['sidecar', 1, 3, 'ok'], ['app-only', 1, 3, 'ok'],
    ]);
    for (const trial of results.trials) if (trial.state === 'ok') expect(trial.load.open?.targetRps).toBe(trial.step === 0 ? 300 : 600);
    expect(output).toMatch(/sidecar at 600\/s: (meets|misses) the SLO/);
  });

  it('fits the sidecar CPU and judges a knee for each topology', () => {
    const capacity = summarizeResults(results).capacity;
    expect(capacity?.topologies.map((topology) => topology.steps.length)).toEqual([2, 2]);
    const sidecar = capacity?.topologies.find((topology) => topology.topology === 'sidecar');
    expect(sidecar?.sidecars.map((cost) => cost.side).sort()).toEqual(['client', 'server']);
    for (const cost of sidecar?.sidecars ?? []) {
      expect(cost.cpuFit?.n).toBe(4);
      expect(cost.vcpuPer1kRps?.low).toBeLessThanOrEqual(cost.vcpuPer1kRps?.high ?? Number.NaN);
      expect(cost.rssPeakBytes).toBeGreaterThan(1024 * 1024);
    }
    expect(['found', 'above-highest', 'below-lowest']).toContain(sidecar?.knee.status);
  });

  it('plans the sidecar resources as YAML that parses and validates as a Kubernetes ResourceRequirements', async () => {
    const plan = await runCli(['plan', join(folder, 'results.json'), '--target', '2000/s', '--headroom', '30%', '--services', '3', '--replicas', '2']);
    expect(plan.exitCode, plan.all).toBe(0);
    const document = parse(plan.stdout) as { resources: { requests: Record<string, string>; limits: Record<string, string> } };
    expect(() => new ResourceRequirements(document.resources).validate()).not.toThrow();
    const cpu = (text: string | undefined) => { const parsed = parseCpuMillis(text ?? ''); return parsed.ok ? parsed.value : Number.NaN; };
    const memory = (text: string | undefined) => { const parsed = parseMemoryBytes(text ?? ''); return parsed.ok ? parsed.value : Number.NaN; };
    expect(cpu(document.resources.requests['cpu'])).toBeLessThanOrEqual(cpu(document.resources.limits['cpu']));
    expect(memory(document.resources.requests['memory'])).toBeLessThanOrEqual(memory(document.resources.limits['memory']));
    expect(plan.stdout).toMatch(/# cluster: 3 service\(s\) x 2 replica\(s\) = 6 sidecars/);
    expect(plan.stdout).toMatch(/# concurrency: \d+ worker thread/);
  });

  it('refuses a bad target, naming the option, exit 2', async () => {
    const bad = await runCli(['plan', join(folder, 'results.json'), '--target', 'fast']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--target: expected a rate above 0 like 5000/s; got "fast"');
  });

  it.skipIf(!chromiumPresent)('renders the capacity section in Chromium with every chart and no failed request', async () => {
    const summary = summarizeResults(results);
    const expected = buildReportCharts(summary);
    expect(expected.map((chart) => chart.id)).toEqual(expect.arrayContaining(['capacity-latency', 'capacity-cpu', 'capacity-memory']));
    const visit = await visitReport(join(folder, 'index.html'), expected.length);
    expect(visit.failedRequests).toEqual([]);
    expect(visit.foreignRequests).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    for (const chart of visit.charts) expect(chart.failed, `${chart.id} could not be drawn`).toBe(false);
  }, 120_000);
});
