import { describe, expect, it } from 'vitest';
import type { RunLeftovers } from '../runtime/orphans.js';
import { checkLeftovers } from './leftovers-check.js';

const reachable = (runs: RunLeftovers[]) => ({
  reachable: true as const,
  probe: { serverVersion: '20.10.24', rootDir: '/var/lib/docker', hasImage: async () => true, runResources: async () => runs, initSandbox: async () => undefined },
});

const run = (runId: string, state: 'alive' | 'gone' | 'unknown', reason: string): RunLeftovers => ({
  runId,
  status: { state, reason },
  containers: [`sb-${runId}-sidecar-client-loadgen (running)`, `sb-${runId}-sidecar-client-pause (running)`],
  networks: [`sb-${runId}`],
});

describe('checkLeftovers', () => {
  it('is ok with nothing left, and mentions live runs without touching them', async () => {
    expect(await checkLeftovers(reachable([]))).toEqual({ name: 'leftovers', status: 'ok', detail: 'no resources of killed runs' });
    expect(await checkLeftovers(reachable([run('a', 'alive', 'in use by a live run (pid 7)')]))).toEqual({
      name: 'leftovers',
      status: 'ok',
      detail: 'no resources of killed runs (1 live run in progress, left alone)',
    });
  });

  it('warns about every run whose process is gone, with what it left and how to remove it', async () => {
    const check = await checkLeftovers(reachable([run('b', 'gone', 'its process (pid 4242) has exited'), run('a', 'alive', 'in use by a live run (pid 7)')]));
    expect(check).toEqual({
      name: 'leftovers',
      status: 'warn',
      detail: '1 run whose process is gone left resources behind:\n      run b: 2 containers, 1 network; its process (pid 4242) has exited (1 live run in progress, left alone)',
      fix: '`sidecar-bench clean` removes them (and `sidecar-bench run` does, unless --no-clean).',
    });
  });

  it('warns about resources whose owner cannot be decided, and says how to remove one by id', async () => {
    const check = await checkLeftovers(reachable([run('c', 'unknown', 'no owner labels (made by an older sidecar-bench or by hand)')]));
    expect(check.status).toBe('warn');
    expect(check.detail).toContain('run c: 2 containers, 1 network; no owner labels');
    expect(check.fix).toContain('sidecar-bench clean --run <id>');
  });

  it('warns first about a host setting a killed run left changed, with or without an engine', async () => {
    const record = { runId: 'd', owner: { host: 'h', bootId: 'b', pid: 4242, startTicks: 1 }, key: 'net.netfilter.nf_conntrack_max', originalValue: '262144', appliedValue: '2048', appliedAt: '2026-11-30T15:00:00Z' };
    const left = () => [{ record, outcome: 'would-restore' as const, detail: 'net.netfilter.nf_conntrack_max (run d set 2048, was 262144): not restored yet, its process (pid 4242) has exited' }];
    const check = await checkLeftovers({ reachable: false, error: new Error('down') }, left);
    expect(check).toMatchObject({ status: 'warn', detail: expect.stringContaining('a killed run left host settings changed:\n      net.netfilter.nf_conntrack_max (run d set 2048, was 262144)'), fix: expect.stringContaining('sidecar-bench clean') });
    expect(await checkLeftovers(reachable([]), () => [{ ...left()[0]!, outcome: 'left-alone' }])).toMatchObject({ status: 'ok' });
  });

  it('is not checked without an engine', async () => {
    expect(await checkLeftovers({ reachable: false, error: new Error("down") }, () => [])).toMatchObject({ status: "warn", detail: "not checked: Docker engine unreachable" });
  });
});
