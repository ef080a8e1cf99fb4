import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { makeFixtureResults, type FixtureOptions } from '../../src/report/fixtures.js';
import type { Results } from '../../src/results/index.js';
import type { GatesSpec } from '../../src/scenario/index.js';
import { runCli } from '../support/cli.js';

const GATES: GatesSpec = {
  inconclusive: 'pass',
  confidence: 0.95,
  thresholds: [
    { topology: '*', metric: 'latency', statistic: 'p99', estimator: 'differential', role: 'sidecar', bound: 'max', limit: 100_000, limitText: '100ms' },
    { topology: 'sidecar', metric: 'sidecar-rss', estimator: 'differential', role: 'sidecar', bound: 'max', limit: 512 * 2 ** 20, limitText: '512MiB' },
  ],
};

/** A fixture run (app-only, sidecar-inbound, sidecar; 6 rounds) with GATES, written to a fresh folder. */
async function writeRun(options: FixtureOptions, edit: (results: Results) => Results = (results) => results): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sidecar-bench-gate-'));
  const fixture = makeFixtureResults(options);
  const results = edit({ ...fixture, scenario: { ...fixture.scenario, gates: GATES } });
  const path = join(dir, 'results.json');
  await writeFile(path, JSON.stringify(results));
  return { dir, path };
}

const withoutSidecar = (results: Results): Results => ({ ...results, trials: results.trials.filter((trial) => trial.topology !== 'sidecar') });
const junitOf = async (dir: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(await readFile(join(dir, 'junit.xml'), 'utf8')).testsuites.testsuite;

describe('sidecar-bench gate (built CLI, results.json fixtures, no containers)', () => {
  it('passes a complete run whose every check passes', async () => {
    const { path } = await writeRun({});
    const gate = await runCli(['gate', path]);
    expect(gate.exitCode, gate.all).toBe(0);
    expect(gate.all).toContain('sidecar-bench gate: PASS');
  });

  it('a gate whose thresholds match no measured value exits non-zero with the reason', async () => {
    const { dir, path } = await writeRun({}, withoutSidecar);
    const gate = await runCli(['gate', path]);
    expect(gate.exitCode, gate.all).toBe(1);
    expect(gate.all).toContain('sidecar-bench gate: FAIL');
    expect(gate.all).toContain('**sidecar: latency p99 ≤ 100ms**: not evaluated: sidecar has no trial at all');
    expect(gate.all).toContain('**sidecar: sidecar-rss ≤ 512MiB**: not evaluated: sidecar has no trial at all');
    const suite = await junitOf(dir);
    expect(suite).toMatchObject({ tests: '4', failures: '2', errors: '0' });
  });

  it('gate on an interrupted results.json with a topology’s trials missing does not PASS, says why, exits 2', async () => {
    const { dir, path } = await writeRun({ status: 'interrupted' }, withoutSidecar);
    const gate = await runCli(['gate', path, '--inconclusive', 'pass']);
    expect(gate.exitCode, gate.all).toBe(2);
    expect(gate.all).not.toContain('gate: PASS');
    expect(gate.all).toContain('sidecar-bench gate: ERROR (the run is unfit to judge)');
    expect(gate.all).toContain(`sidecar-bench: ${path} is not a complete run; it cannot pass a gate:`);
    expect(gate.all).toContain('the run was interrupted: interrupted by SIGINT; it did not complete');
    const suite = await junitOf(dir);
    expect(suite.testcase[0].error).toMatchObject({ type: 'run-incomplete' });
  });

  it('a failed trial: junit.xml carries an <error> naming topology, trial and cause; summary.md and the report are written; exit 2', async () => {
    const { dir, path } = await writeRun({ withFailedTrial: true });
    const gate = await runCli(['gate', path]);
    expect(gate.exitCode, gate.all).toBe(2);
    const suite = await junitOf(dir);
    expect(suite.errors).toBe('1');
    expect(suite.testcase[0]).toMatchObject({ name: 'sidecar trial 6 (round 5)', classname: 'sidecar-bench.run.sidecar' });
    expect(suite.testcase[0].error.message).toBe('sidecar trial 6 (round 5) failed [SB_CONTAINER_FAILED]: container sc-server-sidecar exited with code 137 (OOMKilled)');
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain('- ⛔ sidecar trial 6 (round 5) failed [SB_CONTAINER_FAILED]');
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('Gate ERROR: the run is unfit to judge');
    expect(existsSync(join(dir, 'results.json'))).toBe(true);
  });
});
