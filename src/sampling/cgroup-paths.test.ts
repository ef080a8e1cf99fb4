import { describe, expect, it } from 'vitest';
import { dirUnderMount, parseMountinfo, parseProcCgroup, resolveCgroupDirs, type CgroupMount } from './cgroup-paths.js';

describe('parseProcCgroup', () => {
  it('splits controllers, keeps the v2 line and paths containing ":"', () => {
    expect(parseProcCgroup('2:cpu,cpuacct:/docker/a\n1:name=systemd:/x:y\n0::/\n')).toEqual([
      { hierarchyId: 2, controllers: ['cpu', 'cpuacct'], path: '/docker/a' },
      { hierarchyId: 1, controllers: ['name=systemd'], path: '/x:y' },
      { hierarchyId: 0, controllers: [], path: '/' },
    ]);
  });
});

describe('parseMountinfo', () => {
  it('keeps cgroup and cgroup2 mounts, skipping optional fields and unescaping octal', () => {
    const text = [
      '22 27 0:21 / /proc rw,relatime - proc proc rw',
      '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 master:2 - cgroup cgroup rw,xattr,release_agent=/x,cpu,cpuacct',
      '41 31 0:38 /docker/a /host\\040root/cg rw - cgroup2 cgroup2 rw,nsdelegate',
    ].join('\n');
    expect(parseMountinfo(text)).toEqual([
      { version: 1, root: '/', mountPoint: '/sys/fs/cgroup/cpu,cpuacct', controllers: ['cpu', 'cpuacct'] },
      { version: 2, root: '/docker/a', mountPoint: '/host root/cg', controllers: [] },
    ]);
  });
});

describe('dirUnderMount', () => {
  const mount: CgroupMount = { version: 2, root: '/docker/abc', mountPoint: '/sys/fs/cgroup', controllers: [] };

  it('resolves paths relative to the mount root', () => {
    expect(dirUnderMount(mount, '/docker/abc')).toBe('/sys/fs/cgroup');
    expect(dirUnderMount(mount, '/docker/abc/init.scope')).toBe('/sys/fs/cgroup/init.scope');
    expect(dirUnderMount({ ...mount, root: '/' }, '/docker/abc')).toBe('/sys/fs/cgroup/docker/abc');
  });

  it('does not match a sibling that merely shares a prefix, nor a path outside the root', () => {
    expect(dirUnderMount(mount, '/docker/abcdef')).toBeUndefined();
    expect(dirUnderMount(mount, '/')).toBeUndefined();
  });
});

describe('resolveCgroupDirs', () => {
  it('maps a combined cpu,cpuacct v1 mount to both controllers', () => {
    const memberships = parseProcCgroup('4:memory:/docker/a\n2:cpu,cpuacct:/docker/a\n0::/docker/a\n');
    const mounts = parseMountinfo(
      [
        '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct',
        '35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
      ].join('\n'),
    );
    expect(resolveCgroupDirs(memberships, mounts)).toEqual({
      cpuacctDir: '/sys/fs/cgroup/cpu,cpuacct/docker/a',
      cpuDir: '/sys/fs/cgroup/cpu,cpuacct/docker/a',
      memoryDir: '/sys/fs/cgroup/memory/docker/a',
      procsDir: '/sys/fs/cgroup/cpu,cpuacct/docker/a',
    });
  });

  it('prefers the deepest-rooted of several mounts and prefixes hostRoot', () => {
    const memberships = parseProcCgroup('0::/kubepods/pod1/c1\n');
    const mounts = parseMountinfo(
      [
        '30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw',
        '31 1 0:26 /kubepods/pod1 /pod rw - cgroup2 cgroup2 rw',
      ].join('\n'),
    );
    expect(resolveCgroupDirs(memberships, mounts, '/host')).toEqual({ unifiedDir: '/host/pod/c1', procsDir: '/host/pod/c1' });
  });

  it('returns nothing when no cgroup filesystem is mounted', () => {
    expect(resolveCgroupDirs(parseProcCgroup('0::/\n'), [])).toEqual({});
  });
});
