import { join, posix } from 'node:path';

/** One line of /proc/PID/cgroup: "hierarchy-ID:controller-list:path". */
export interface CgroupMembership {
  hierarchyId: number;
  /** v1 controllers ("cpu", "cpuacct", "name=systemd"); empty for the v2 line "0::/path". */
  controllers: string[];
  /** Path inside the hierarchy, as seen from the reader's cgroup namespace. */
  path: string;
}

/** A cgroup (v1) or cgroup2 mount from mountinfo. */
export interface CgroupMount {
  version: 1 | 2;
  /** The hierarchy directory the mount shows at its mount point (mountinfo field 4). */
  root: string;
  mountPoint: string;
  /** v1 controllers from the super options ("cpu", "name=systemd"); empty for cgroup2. */
  controllers: string[];
}

/** Host directories of one cgroup, per source of data. Absent where not mounted or not joined. */
export interface CgroupDirs {
  /** v1 cpuacct hierarchy (cpuacct.usage). */
  cpuacctDir?: string;
  /** v1 cpu hierarchy (cpu.stat throttling). */
  cpuDir?: string;
  /** v1 memory hierarchy. */
  memoryDir?: string;
  /** v2 unified hierarchy (also present next to v1 in "hybrid" mode, as on Docker 20.10 hosts). */
  unifiedDir?: string;
  /** Where cgroup.procs is read: the first of cpuacctDir, cpuDir, memoryDir, unifiedDir. */
  procsDir?: string;
}

/** Parses /proc/PID/cgroup. The path may itself contain ':', so only the first two split. */
export function parseProcCgroup(text: string): CgroupMembership[] {
  const memberships: CgroupMembership[] = [];
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    memberships.push({
      hierarchyId: Number(line.slice(0, first)),
      controllers: controllers === '' ? [] : controllers.split(','),
      path: line.slice(second + 1),
    });
  }
  return memberships;
}

/** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Flags of a v1 cgroup mount that are not controllers (kernel/cgroup/cgroup-v1.c). */
const V1_MOUNT_FLAGS = new Set(['rw', 'ro', 'xattr', 'noprefix', 'clone_children', 'cpuset_v2_mode', 'favordynmods']);

function isV1Controller(option: string): boolean {
  if (V1_MOUNT_FLAGS.has(option)) return false;
  // "release_agent=/x" is a flag; "name=systemd" names a controller-less hierarchy.
  return !option.includes('=') || option.startsWith('name=');
}

/**
 * The cgroup and cgroup2 mounts in a mountinfo. Line format (proc(5)):
 * "id parent major:minor root mountPoint options [optional fields...] - fstype source superOptions".
 */
export function parseMountinfo(text: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (separator < 0) continue;
    const fsType = fields[separator + 1];
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    const root = unescapeMountField(fields[3] ?? '/');
    const mountPoint = unescapeMountField(fields[4] ?? '');
    if (fsType === 'cgroup2') {
      mounts.push({ version: 2, root, mountPoint, controllers: [] });
    } else {
      // Super options mix controllers with flags ("rw,cpu,cpuacct", "rw,xattr,name=systemd").
      const controllers = (fields[separator + 3] ?? '').split(',').filter(isV1Controller);
      mounts.push({ version: 1, root, mountPoint, controllers });
    }
  }
  return mounts;
}

/**
 * Where `cgroupPath` appears under `mount`, or undefined when the mount does not show it. A mount's
 * root need not be "/": a bind-mounted or namespaced cgroupfs shows only the subtree at its root, so
 * "/docker/abc/x" under a mount rooted at "/docker/abc" is `<mountPoint>/x`.
 */
export function dirUnderMount(mount: CgroupMount, cgroupPath: string): string | undefined {
  const root = mount.root.endsWith('/') ? mount.root : `${mount.root}/`;
  const path = cgroupPath.endsWith('/') ? cgroupPath : `${cgroupPath}/`;
  if (!path.startsWith(root)) return undefined;
  // Trim the trailing '/' added above so the mount point itself comes back without one.
  return posix.join(mount.mountPoint, path.slice(root.length).replace(/\/$/, ''));
}

/** The deepest-rooted mount that shows the path: a bind mount of a subtree wins over none. */
function findDir(mounts: CgroupMount[], cgroupPath: string): string | undefined {
  let best: { dir: string; rootLength: number } | undefined;
  for (const mount of mounts) {
    const dir = dirUnderMount(mount, cgroupPath);
    if (dir !== undefined && (best === undefined || mount.root.length > best.rootLength)) {
      best = { dir, rootLength: mount.root.length };
    }
  }
  return best?.dir;
}

/**
 * Maps a process's memberships to host directories. `hostRoot` prefixes every mount point: "/"
 * normally; a fixture tree in tests, or "/host" when the sampler itself runs in a container.
 */
export function resolveCgroupDirs(memberships: CgroupMembership[], mounts: CgroupMount[], hostRoot = '/'): CgroupDirs {
  const v1Dir = (controller: string): string | undefined => {
    const membership = memberships.find((m) => m.hierarchyId !== 0 && m.controllers.includes(controller));
    if (membership === undefined) return undefined;
    const candidates = mounts.filter((m) => m.version === 1 && m.controllers.includes(controller));
    return findDir(candidates, membership.path);
  };
  const unified = memberships.find((m) => m.hierarchyId === 0 && m.controllers.length === 0);
  const found: CgroupDirs = {
    cpuacctDir: v1Dir('cpuacct'),
    cpuDir: v1Dir('cpu'),
    memoryDir: v1Dir('memory'),
    unifiedDir: unified && findDir(mounts.filter((m) => m.version === 2), unified.path),
  };
  const dirs: CgroupDirs = {};
  for (const [key, dir] of Object.entries(found) as [keyof CgroupDirs, string | undefined][]) {
    if (dir !== undefined) dirs[key] = join(hostRoot, dir);
  }
  const procsDir = dirs.cpuacctDir ?? dirs.cpuDir ?? dirs.memoryDir ?? dirs.unifiedDir;
  if (procsDir !== undefined) dirs.procsDir = procsDir;
  return dirs;
}
