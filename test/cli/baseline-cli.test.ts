import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFixtureResults } from '../../src/report/fixtures.js';
import type { Results } from '../../src/results/index.js';
import { runCli } from '../support/cli.js';

const BASE = makeFixtureResults();

async function writePair(candidate: Results): Promise<{ dir: string; candidatePath: string; baselinePath: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sidecar-bench-baseline-'));
  const candidatePath = join(dir, 'candidate.json');
  const baselinePath = join(dir, 'baseline.json');
  await writeFile(candidatePath, JSON.stringify(candidate));
  await writeFile(baselinePath, JSON.stringify(BASE));
  return { dir, candidatePath, baselinePath };
}

const moreConnections: Results = { ...BASE, scenario: { ...BASE.scenario, load: { ...(BASE.scenario.load as object), connections: 32 } }, host: { ...BASE.host, kernel: '6.18.0' } };

describe('--baseline must be comparable (built CLI, results.json fixtures, no containers)', () => {
  it('gate refuses an incompatible baseline, naming each difference, exit 2', async () => {
    const { dir, candidatePath, baselinePath } = await writePair(moreConnections);
    const gate = await runCli(['gate', candidatePath, '--baseline', baselinePath]);
    expect(gate.exitCode, gate.all).toBe(2);
    expect(gate.all).toContain(`sidecar-bench: --baseline ${baselinePath} is not comparable with this run:`);
    expect(gate.all).toContain('  load.connections: 32 in this run, 16 in the baseline');
    expect(gate.all).toContain('  host.kernel: 6.18.0 in this run, 6.1.0-28-cloud-amd64 in the baseline');
    expect(gate.all).toContain('--allow-different');
    expect(existsSync(join(dir, 'junit.xml'))).toBe(false);
  });

  it('with --allow-different it judges, and every regression verdict carries the difference', async () => {
    const { dir, candidatePath, baselinePath } = await writePair(moreConnections);
    const gate = await runCli(['gate', candidatePath, '--baseline', baselinePath, '--allow-different']);
    expect([0, 1], gate.all).toContain(gate.exitCode);
    const summary = await readFile(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('**The baseline run differs:**');
    expect(summary).toContain('- load.connections: 32 in this run, 16 in the baseline');
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
    const reasons = [...junit.matchAll(/<system-out>([^<]*)<\/system-out>/g)].map((match) => match[1] as string);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).toContain('judged although the baseline run is not comparable: load.connections: 32 in this run, 16 in the baseline; host.kernel: 6.18.0');
  });

  it('a new proxy version is what a baseline is for: said, not refused', async () => {
    const { dir, candidatePath, baselinePath } = await writePair({ ...BASE, proxyVersions: { haproxy: 'HAProxy version 2.8.5' } });
    const gate = await runCli(['gate', candidatePath, '--baseline', baselinePath]);
    expect(gate.exitCode, gate.all).toBe(0);
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain('- proxyVersions.haproxy: HAProxy version 2.8.5 in this run, HAProxy version 2.6.12-1+deb12u1 2023/12/16 in the baseline');
  });

  it('run refuses an incomparable --baseline before anything starts', async () => {
    const { dir, baselinePath } = await writePair(BASE);
    const scenario = join(dir, 'candidate.yaml');
    await writeFile(scenario, 'topologies: [app-only, sidecar-inbound, sidecar]\nload: { connections: 8, duration: 2s }\n');
    const run = await runCli(['run', scenario, '--baseline', baselinePath, '--reports-dir', join(dir, 'reports')]);
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain(`--baseline ${baselinePath} is not comparable with this run:`);
    expect(run.all).toContain('load.connections: 8 in this run, 16 in the baseline');
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });
});
