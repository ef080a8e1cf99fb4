/**
 * The fault scenarios (scenarios/faults/) on real containers, through the built CLI: each fault
 * arm shows its finding with evidence, its remedy arm none, and the gate fails on it (exit 1) with
 * the finding in summary.md. One trial per arm, a few seconds each (CI time).
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
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
  it('handshake churn: a full handshake per request in mtls-churn, none kept alive', async () => {
    const { run, findings } = await runFault('handshake-churn.yaml');
    expect(run.exitCode, run.all).toBe(1);
    // The remedy arm (connections kept alive) shows nothing; the churn arm shows the churn (and, on a
    // busy machine, may also miss its rate and show high latency: a true finding too).
    expect(findings.flatMap((finding) => finding.arms)).not.toContain('mtls');
    const churn = findings.find((finding) => finding.kind === 'handshake-churn');
    expect(churn?.arms).toStrictEqual(['mtls-churn']);
    expect(churn?.evidence[0]?.values.fullHandshakesPerRequest).toBeGreaterThanOrEqual(0.5);
  });
});
