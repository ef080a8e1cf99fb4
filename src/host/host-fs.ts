/**
 * The host's files, behind an interface so /proc, /sys and /etc can be read from a fixture tree or
 * from memory in tests. Paths are always written as on the host ("/proc/cpuinfo").
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface HostFs {
  /** Reads a whole text file (UTF-8); rejects when it is missing or unreadable. */
  readText(hostPath: string): Promise<string>;
  /** Whether the path exists (file, directory or anything else). Never rejects. */
  exists(hostPath: string): Promise<boolean>;
}

/**
 * The real filesystem, seen from `rootDir`.
 * @param rootDir Directory that stands for "/"; default "/" (the host itself). A fixture tree
 *   such as `test/fixtures/host-a` makes "/proc/cpuinfo" read `test/fixtures/host-a/proc/cpuinfo`.
 */
export function nodeHostFs(rootDir = '/'): HostFs {
  const resolve = (hostPath: string): string => join(rootDir, hostPath);
  return {
    readText: (hostPath) => readFile(resolve(hostPath), 'utf8'),
    exists: async (hostPath) => {
      try {
        await access(resolve(hostPath));
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * An in-memory host: `files` maps host paths to their text. A path that is a prefix directory of
 * a listed file also "exists" (so `/sys/fs/bpf` exists when `/sys/fs/bpf/` is a key or a parent).
 */
export function memoryHostFs(files: Readonly<Record<string, string>>): HostFs {
  const paths = Object.keys(files);
  return {
    readText: async (hostPath) => {
      const text = files[hostPath];
      if (text === undefined) {
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${hostPath}'`), { code: 'ENOENT' });
      }
      return text;
    },
    exists: async (hostPath) => {
      const dir = hostPath.endsWith('/') ? hostPath : `${hostPath}/`;
      return paths.some((path) => path === hostPath || path.startsWith(dir));
    },
  };
}
