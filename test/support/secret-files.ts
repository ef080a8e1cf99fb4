import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SecretEntry } from '../../src/runtime/secret-archive.js';

/**
 * Lays secret entries out under `root` on this machine (modes as the archive gives them, owners
 * left alone), so a test can run a rotation script or `envoy --mode validate` against them.
 */
export async function writeSecretEntries(root: string, entries: readonly SecretEntry[]): Promise<void> {
  const at = (target: string) => join(root, target);
  const directoryModes: [string, number][] = [];
  for (const entry of entries) {
    if ('directory' in entry) {
      await mkdir(at(entry.directory), { recursive: true });
      directoryModes.push([at(entry.directory), entry.mode]);
    } else if ('linkTo' in entry) {
      await mkdir(dirname(at(entry.target)), { recursive: true });
      await symlink(entry.linkTo, at(entry.target));
    } else {
      await mkdir(dirname(at(entry.target)), { recursive: true });
      await writeFile(at(entry.target), entry.content, { mode: 0o400 });
      directoryModes.push([dirname(at(entry.target)), 0o500]);
    }
  }
  // Modes last, deepest first: a 0500 directory would refuse the files still to be written in it.
  for (const [dir, mode] of directoryModes.sort(([a], [b]) => b.length - a.length)) await chmod(dir, mode);
}
