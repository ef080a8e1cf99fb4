import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pack } from 'tar-stream';

/** A file that must be readable by one uid only (a private key): owner-only mode, owned by it. */
export interface SecretFile {
  content: string;
  /** Absolute path in the container. */
  target: string;
  uid: number;
  gid: number;
}

/**
 * A symbolic link among secret files (Kubernetes' secret-volume layout: `svid.yaml → ..data/svid.yaml`,
 * `..data → ..svid-1`), so a rotation can swap every file at once by renaming one link.
 */
export interface SecretSymlink {
  /** Absolute path of the link in the container. */
  target: string;
  /** What the link points to, as written (relative, so it resolves inside the container). */
  linkTo: string;
  uid: number;
  gid: number;
}

/** A directory of secrets whose owner or mode is not the default 0500 (e.g. 0700: its owner swaps links in it). */
export interface SecretDirectory {
  directory: string;
  uid: number;
  gid: number;
  mode: number;
}

export type SecretEntry = SecretFile | SecretSymlink | SecretDirectory;

const isDirectory = (entry: SecretEntry): entry is SecretDirectory => 'directory' in entry;
const isSymlink = (entry: SecretEntry): entry is SecretSymlink => 'linkTo' in entry;

/**
 * A tar archive of secret files, owned by their uid/gid with mode 0400 in a directory of their own
 * (0500, same owner, unless a SecretDirectory says otherwise), to be copied to "/": testcontainers'
 * content copy would leave them root-owned and world-readable. The directories above stay as any
 * system has them (root, 0755): the archive's headers are applied to existing directories too, and
 * /etc must not change hands.
 */
export function secretArchive(entries: readonly SecretEntry[]): Readable {
  const archive = pack();
  const directories = new Map<string, { uid: number; gid: number; mode: number }>();
  const explicit = entries.filter(isDirectory);
  const leaves = entries.filter((entry): entry is SecretFile | SecretSymlink => !isDirectory(entry));
  for (const entry of explicit) directories.set(entry.directory, { uid: entry.uid, gid: entry.gid, mode: entry.mode });
  for (const leaf of leaves) if (!directories.has(dirname(leaf.target))) directories.set(dirname(leaf.target), { uid: leaf.uid, gid: leaf.gid, mode: 0o500 });
  for (const dir of [...directories.keys()]) {
    for (let parent = dirname(dir); parent !== '/'; parent = dirname(parent)) if (!directories.has(parent)) directories.set(parent, { uid: 0, gid: 0, mode: 0o755 });
  }
  for (const [dir, owner] of [...directories].sort(([a], [b]) => a.length - b.length)) {
    archive.entry({ name: `${dir.slice(1)}/`, type: 'directory', mode: owner.mode, uid: owner.uid, gid: owner.gid });
  }
  for (const leaf of leaves) {
    if (isSymlink(leaf)) archive.entry({ name: leaf.target.slice(1), type: 'symlink', linkname: leaf.linkTo, mode: 0o777, uid: leaf.uid, gid: leaf.gid });
    else archive.entry({ name: leaf.target.slice(1), mode: 0o400, uid: leaf.uid, gid: leaf.gid }, leaf.content);
  }
  archive.finalize();
  // tar-stream's Pack is a streamx Readable, which testcontainers pipes like a Node one.
  return archive as unknown as Readable;
}
