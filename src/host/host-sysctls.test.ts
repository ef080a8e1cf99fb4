import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcView, RunOwner } from '../runtime/run-owner.js';
import { HostSysctls, restoreLeftHostSettings, sysctlPath, whySysctlCannotBeWritten } from './host-sysctls.js';

const KEY = 'net.netfilter.nf_conntrack_max';
const BOOT = 'boot-1';

/** A fake /proc: a sysctl file, and the processes (pid → start ticks) that live. */
function fixture(value = '262144') {
  const root = mkdtempSync(join(tmpdir(), 'sb-sysctl-'));
  const procRoot = join(root, 'proc');
  mkdirSync(join(procRoot, 'sys/net/netfilter'), { recursive: true });
  writeFileSync(sysctlPath(KEY, procRoot), `${value}\n`);
  const live = new Map<number, number>([[100, 5000]]);
  const proc: ProcView = {
    read: (path) => {
      if (path === '/proc/sys/kernel/random/boot_id') return `${BOOT}\n`;
      const pid = Number(/^\/proc\/(\d+)\/stat$/.exec(path)?.[1]);
      const ticks = live.get(pid);
      return ticks === undefined ? undefined : `${pid} (node) S ${'0 '.repeat(18)}${ticks} 0`;
    },
    hostname: () => 'host-a',
  };
  return { procRoot, dir: join(root, 'records'), proc, live, value: () => readFileSync(sysctlPath(KEY, procRoot), 'utf8').trim() };
}

const owner = (pid: number, startTicks: number): RunOwner => ({ host: 'host-a', bootId: BOOT, pid, startTicks });

const made: HostSysctls[] = [];
afterEach(() => {
  for (const settings of made.splice(0)) settings.restoreAllSync();
});

function settings(f: ReturnType<typeof fixture>, runId = 'run-1', runOwner = owner(100, 5000)) {
  const created = new HostSysctls({ runId, owner: runOwner, dir: f.dir, procRoot: f.procRoot, proc: f.proc });
  made.push(created);
  return created;
}

describe('HostSysctls', () => {
  it('records the original on disk before the change, and restores it and removes the record', async () => {
    const f = fixture();
    const run = settings(f);
    expect(run.set(KEY, '1024')).toEqual({ originalValue: '262144' });
    expect(f.value()).toBe('1024');
    const [file] = readdirSync(f.dir);
    expect(JSON.parse(readFileSync(join(f.dir, file as string), 'utf8'))).toMatchObject({ runId: 'run-1', key: KEY, originalValue: '262144', appliedValue: '1024', owner: { pid: 100 } });
    expect(await run.restoreAll()).toEqual([]);
    expect(f.value()).toBe('262144');
    expect(readdirSync(f.dir)).toEqual([]);
    expect(await run.restoreAll()).toEqual([]);
    expect(f.value()).toBe('262144');
  });

  it('keeps the first original when the same key is set twice', () => {
    const f = fixture();
    const run = settings(f);
    run.set(KEY, '2048');
    expect(run.set(KEY, '1024')).toEqual({ originalValue: '262144' });
    run.restoreAllSync();
    expect(f.value()).toBe('262144');
  });

  it('refuses a key another live run has changed (its "original" would be that run’s value)', () => {
    const f = fixture();
    f.live.set(200, 7000);
    settings(f, 'run-other', owner(200, 7000)).set(KEY, '1024');
    expect(() => settings(f).set(KEY, '512')).toThrow(/already changed by run run-other \(in use by a live run \(pid 200\); it set 1024, the original is 262144\)/);
    expect(f.value()).toBe('1024');
  });

  it('restores on process exit (the synchronous handler)', () => {
    const f = fixture();
    settings(f).set(KEY, '1024');
    process.emit('exit', 0);
    expect(f.value()).toBe('262144');
    expect(readdirSync(f.dir)).toEqual([]);
  });
});

describe('restoreLeftHostSettings: what killed runs left changed', () => {
  it('restores a gone run’s value and removes its record; leaves a live run’s alone', () => {
    const f = fixture();
    f.live.set(300, 9000);
    settings(f, 'run-killed', owner(300, 9000)).set(KEY, '1024');
    f.live.delete(300); // killed with SIGKILL: its exit handler never ran
    const [left] = restoreLeftHostSettings({ dir: f.dir, procRoot: f.procRoot, proc: f.proc });
    expect(left).toMatchObject({ outcome: 'restored', detail: expect.stringContaining('restored to 262144; its process (pid 300) has exited') });
    expect(f.value()).toBe('262144');
    expect(readdirSync(f.dir)).toEqual([]);

    settings(f, 'run-live').set(KEY, '1024');
    expect(restoreLeftHostSettings({ dir: f.dir, procRoot: f.procRoot, proc: f.proc })).toMatchObject([{ outcome: 'left-alone' }]);
    expect(f.value()).toBe('1024');
  });

  it('leaves a value someone changed since as it is, and only reports with dryRun', () => {
    const f = fixture();
    f.live.set(300, 9000);
    settings(f, 'run-killed', owner(300, 9000)).set(KEY, '1024');
    f.live.delete(300);
    expect(restoreLeftHostSettings({ dir: f.dir, procRoot: f.procRoot, proc: f.proc, dryRun: true })).toMatchObject([{ outcome: 'would-restore', detail: expect.stringContaining('not restored yet, its process (pid 300) has exited') }]);
    expect(f.value()).toBe('1024');
    writeFileSync(sysctlPath(KEY, f.procRoot), '4096');
    expect(restoreLeftHostSettings({ dir: f.dir, procRoot: f.procRoot, proc: f.proc })).toMatchObject([{ outcome: 'changed-since' }]);
    expect(f.value()).toBe('4096');
    expect(existsSync(f.dir) && readdirSync(f.dir)).toEqual([]);
  });
});

describe('whySysctlCannotBeWritten', () => {
  it('is undefined where the value can be written back, and names the file where it cannot', () => {
    const f = fixture();
    expect(whySysctlCannotBeWritten(KEY, f.procRoot)).toBeUndefined();
    expect(f.value()).toBe('262144');
    expect(whySysctlCannotBeWritten('net.netfilter.nf_conntrack_nope', f.procRoot)).toMatch(/nf_conntrack_nope cannot be read/);
  });

  it('names the file and the errno where the kernel refuses the write, even to root', () => {
    // fs.file-nr is mode 0444 in every kernel: a real sysctl nobody may write.
    expect(whySysctlCannotBeWritten('fs.file-nr')).toMatch(/^\/proc\/sys\/fs\/file-nr cannot be written \(EACCES\): changing it needs root in the host's network namespace/);
  });
});
