import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { findExecutable, freeBytes, runCommand } from './host-probes.js';

describe('findExecutable', () => {
  it('finds sh on PATH and nothing for a made-up name', async () => {
    expect(await findExecutable('sh')).toMatch(/\/sh$/);
    expect(await findExecutable('sidecar-bench-no-such-tool')).toBeUndefined();
  });
});

describe('runCommand', () => {
  it('returns the exit code and output without rejecting', async () => {
    expect(await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3'])).toEqual({ exitCode: 3, stdout: 'out', stderr: 'err' });
  });

  it('reports a command that cannot start', async () => {
    const result = await runCommand('/nonexistent/sidecar-bench-tool', []);
    expect(result.exitCode).toBeUndefined();
    expect(result.stderr).toContain('ENOENT');
  });
});

describe('freeBytes', () => {
  it('measures the temp directory', async () => {
    expect(await freeBytes(tmpdir())).toBeGreaterThan(0);
  });
});
