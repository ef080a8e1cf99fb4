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
 * A tar archive of secret files, owned by their uid/gid with mode 0400 in a directory of their own
 * (0500, same owner), to be copied to "/": testcontainers' content copy would leave them root-owned
 * and world-readable. The directories above stay as any system has them (root, 0755): the archive's
 * headers are applied to existing directories too, and /etc must not change hands.
 */
export function secretArchive(files: readonly SecretFile[]): Readable {
  const archive = pack();
  const directories = new Map<string, { uid: number; gid: number; mode: number }>();
  for (const file of files) {
    directories.set(dirname(file.target), { uid: file.uid, gid: file.gid, mode: 0o500 });
    for (let dir = dirname(dirname(file.target)); dir !== '/'; dir = dirname(dir)) if (!directories.has(dir)) directories.set(dir, { uid: 0, gid: 0, mode: 0o755 });
  }
  for (const [dir, owner] of [...directories].sort(([a], [b]) => a.length - b.length)) {
    archive.entry({ name: `${dir.slice(1)}/`, type: 'directory', mode: owner.mode, uid: owner.uid, gid: owner.gid });
  }
  for (const file of files) archive.entry({ name: file.target.slice(1), mode: 0o400, uid: file.uid, gid: file.gid }, file.content);
  archive.finalize();
  // tar-stream's Pack is a streamx Readable, which testcontainers pipes like a Node one.
  return archive as unknown as Readable;
}
