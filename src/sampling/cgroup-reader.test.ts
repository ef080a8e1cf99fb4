import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listCgroupPids, readCgroupSample, resolveCgroupDirsOfPid } from './cgroup-reader.js';

const fixture = (tree: string): { procRoot: string; hostRoot: string } => {
  const hostRoot = fileURLToPath(new URL(`./fixtures/${tree}`, import.meta.url));
  return { hostRoot, procRoot: `${hostRoot}/proc` };
};

describe('cgroup v1 (hybrid host) fixture', () => {
  const options = fixture('v1');
  const cg = `${options.hostRoot}/sys/fs/cgroup`;

  it('finds every controller directory of the container', async () => {
    expect(await resolveCgroupDirsOfPid(4242, options)).toEqual({
      cpuacctDir: `${cg}/cpuacct/docker/c0ffee`,
      cpuDir: `${cg}/cpu/docker/c0ffee`,
      memoryDir: `${cg}/memory/docker/c0ffee`,
      unifiedDir: `${cg}/unified/docker/c0ffee`,
      procsDir: `${cg}/cpuacct/docker/c0ffee`,
    });
  });

  it('lists the PIDs, including ones whose process is already gone', async () => {
    const dirs = await resolveCgroupDirsOfPid(4242, options);
    expect(await listCgroupPids(dirs ?? {})).toEqual([4242, 4245, 4246]);
  });

  it('reads v1 counters, converting ns to µs, and ignores the unified cpu.stat', async () => {
    const dirs = await resolveCgroupDirsOfPid(4242, options);
    expect(await readCgroupSample(dirs ?? {})).toEqual({
      cpuUsageUs: 2_500_000,
      cfsPeriods: 50,
      throttledPeriods: 3,
      throttledUs: 4_500,
      memoryUsageBytes: 10_485_760,
      oomKills: 2,
    });
  });

  it('returns undefined for a process that does not exist', async () => {
    expect(await resolveCgroupDirsOfPid(4245, options)).toBeUndefined();
  });
});

describe('cgroup v2 fixture (mount rooted at /bench)', () => {
  const options = fixture('v2');
  const dir = `${options.hostRoot}/sys/fs/cgroup/system.slice/docker-abc.scope`;

  it('resolves the path relative to the mount root', async () => {
    expect(await resolveCgroupDirsOfPid(5001, options)).toEqual({ unifiedDir: dir, procsDir: dir });
  });

  it('lists PIDs sorted and reads v2 counters', async () => {
    const dirs = { unifiedDir: dir, procsDir: dir };
    expect(await listCgroupPids(dirs)).toEqual([5001, 5002]);
    expect(await readCgroupSample(dirs)).toEqual({
      cpuUsageUs: 13_500_000,
      cfsPeriods: 100,
      throttledPeriods: 4,
      throttledUs: 250_000,
      memoryUsageBytes: 12_582_912,
      oomKills: 1,
    });
  });
});

describe('unreadable cgroup files', () => {
  it('leaves fields out instead of throwing', async () => {
    const gone = '/nonexistent/cgroup';
    expect(await readCgroupSample({ cpuacctDir: gone, cpuDir: gone, memoryDir: gone, procsDir: gone })).toEqual({});
    expect(await readCgroupSample({})).toEqual({});
    expect(await listCgroupPids({ procsDir: gone })).toEqual([]);
  });

  it('keeps what is readable (v2 without the cpu controller has usage but no throttling)', async () => {
    const dir = `${fixture('v1').hostRoot}/sys/fs/cgroup/unified/docker/c0ffee`;
    expect(await readCgroupSample({ unifiedDir: dir })).toEqual({ cpuUsageUs: 999 });
  });
});

describe('live cgroups of the test process', () => {
  it('resolves without throwing and lists this process where cgroup.procs is readable', async () => {
    const dirs = await resolveCgroupDirsOfPid(process.pid);
    expect(dirs).toBeDefined();
    const procsFile = dirs?.procsDir && `${dirs.procsDir}/cgroup.procs`;
    const readable = procsFile !== undefined && (await readFile(procsFile).then(() => true, () => false));
    const pids = await listCgroupPids(dirs ?? {});
    if (readable) expect(pids).toContain(process.pid);
    const sample = await readCgroupSample(dirs ?? {});
    if (sample.cpuUsageUs !== undefined) expect(sample.cpuUsageUs).toBeGreaterThan(0);
  });
});
