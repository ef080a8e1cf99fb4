import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { readResults, type Results } from '../../src/results/index.js';

export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../bin/sidecar-bench.js', import.meta.url));

/** Runs the built CLI (as a user would) and never throws on a non-zero exit. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): ResultPromise<{ reject: false; all: true }> {
  return execa('node', [CLI, ...args], { cwd: options.cwd ?? PROJECT_DIR, reject: false, all: true, env: { ...options.env, FORCE_COLOR: '0' }, ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}) });
}

/**
 * Writes `scenario` (YAML text) as `<name>.yaml` in a fresh folder, runs it with the built CLI
 * (`run … --reports-dir`, then `extraArgs`), and reads the one report folder the run made.
 * @returns the CLI's result, that report folder and its results.json
 */
export async function runScenarioText(name: string, scenario: string, extraArgs: string[] = []): Promise<{ run: Awaited<ReturnType<typeof runCli>>; reportDir: string; results: Results }> {
  const work = await mkdtemp(join(tmpdir(), `sidecar-bench-${name}-`));
  const reportsDir = join(work, 'reports');
  await writeFile(join(work, `${name}.yaml`), scenario);
  const run = await runCli(['run', join(work, `${name}.yaml`), '--reports-dir', reportsDir, ...extraArgs]);
  const [folder] = await readdir(reportsDir);
  const reportDir = join(reportsDir, folder as string);
  return { run, reportDir, results: await readResults(join(reportDir, 'results.json')) };
}
