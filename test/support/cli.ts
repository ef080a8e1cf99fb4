import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../bin/sidecar-bench.js', import.meta.url));

/** Runs the built CLI (as a user would) and never throws on a non-zero exit. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): ResultPromise<{ reject: false; all: true }> {
  return execa('node', [CLI, ...args], { cwd: options.cwd ?? PROJECT_DIR, reject: false, all: true, env: { ...options.env, FORCE_COLOR: '0' }, ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}) });
}
