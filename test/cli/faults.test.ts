/**
 * The fault scenarios (scenarios/faults/) on real containers, through the built CLI: each fault
 * arm shows its finding with evidence, its remedy arm none, and the gate fails on it (exit 1) with
 * the finding in summary.md. One trial per arm, a few seconds each (CI time).
 */
import { readFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeResults } from '../../src/analysis/index.js';
import { readResults } from '../../src/results/index.js';
import { dockerForTests } from '../support/docker.js';
import { PROJECT_DIR, runCli } from '../support/cli.js';

const dockerode = await dockerForTests();

async function runFault(file: string) {
  const reportsDir = join(await mkdtemp(join(tmpdir(), 'sidecar-bench-fault-')), 'reports');
  const run = await runCli(['run', join(PROJECT_DIR, 'scenarios/faults', file), '--reports-dir', reportsDir]);
  const [folder] = await readdir(reportsDir);
  const directory = join(reportsDir, folder as string);
  const results = await readResults(join(directory, 'results.json'));
  return { run, results, findings: summarizeResults(results).findings ?? [], summaryMd: await readFile(join(directory, 'summary.md'), 'utf8') };
}

describe.skipIf(!dockerode)('fault scenarios: finding in the fault arm, none in the remedy arm', () => {
  it('upstream timeout: 504s past a 50 ms route timeout, none with 1 s', async () => {
    const { run, results, findings, summaryMd } = await runFault('upstream-timeout.yaml');
    expect(run.exitCode, run.all).toBe(1);
    expect(results.trials.every((trial) => trial.state === 'ok')).toBe(true);
    expect(findings.map((finding) => [finding.kind, finding.arms])).toStrictEqual([['upstream-timeout', ['timeout']]]);
    const [evidence] = findings[0]?.evidence ?? [];
    expect(evidence?.values.responses504).toBeGreaterThan(0);
    expect(evidence?.values['server:sH'] ?? evidence?.values['client:sH']).toBeGreaterThan(0);
    expect(run.all).toContain('✖ 504 upstream request timeout [upstream-timeout] in timeout');
    expect(summaryMd).toContain('(`upstream-timeout`, fails the gate) in timeout');
  });

  it('handshake churn: a full handshake per request in mtls-churn, none kept alive', async () => {
    const { run, findings } = await runFault('handshake-churn.yaml');
    expect(run.exitCode, run.all).toBe(1);
    expect(findings.map((finding) => [finding.kind, finding.arms])).toStrictEqual([['handshake-churn', ['mtls-churn']]]);
    expect(findings[0]?.evidence[0]?.values.fullHandshakesPerRequest).toBeGreaterThanOrEqual(0.5);
  });

  it('port exhaustion: 100 ephemeral ports run out without keep-alive (TIME_WAIT climbs), not with it', async () => {
    const { run, findings } = await runFault('port-exhaustion.yaml');
    expect(run.exitCode, run.all).toBe(1);
    expect(findings.map((finding) => [finding.kind, finding.arms])).toStrictEqual([['port-exhaustion', ['churn']]]);
    const values = findings[0]?.evidence[0]?.values ?? {};
    expect(values['timeWaitPeak[churn-client]']).toBeGreaterThanOrEqual(90);
  });
});
