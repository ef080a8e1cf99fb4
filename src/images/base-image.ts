import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { execa } from 'execa';
import { BenchError, describeError } from '../errors.js';
import type { Progress } from '../progress.js';
import { followDockerStream, imageExists } from './docker-stream.js';

/** Every image builds FROM this local tag; it is made once per machine. */
export const BASE_IMAGE_REPOSITORY = 'sidecar-bench/base';
export const BASE_IMAGE_TAG = 'bookworm';
export const BASE_IMAGE = `${BASE_IMAGE_REPOSITORY}:${BASE_IMAGE_TAG}`;
/** What a machine with a registry pulls instead of bootstrapping. */
export const PULLABLE_BASE_IMAGE = 'debian:bookworm-slim';
export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';

export interface BaseImage {
  reference: string;
  id: string;
  source: 'local' | 'pulled' | 'bootstrapped';
}

export interface BaseImageOptions {
  dockerode: Dockerode;
  progress: Progress;
  debianMirror?: string;
}

/** The Debian bookworm base: present locally, else pulled, else debootstrapped and imported. */
export async function ensureBaseImage(options: BaseImageOptions): Promise<BaseImage> {
  const { dockerode, progress } = options;
  const localId = await imageExists(dockerode, BASE_IMAGE);
  if (localId) return { reference: BASE_IMAGE, id: localId, source: 'local' };

  const pulledId = await tryPull(dockerode, progress);
  if (pulledId) return { reference: BASE_IMAGE, id: pulledId, source: 'pulled' };

  const bootstrappedId = await bootstrap(dockerode, progress, options.debianMirror ?? DEFAULT_DEBIAN_MIRROR);
  return { reference: BASE_IMAGE, id: bootstrappedId, source: 'bootstrapped' };
}

async function tryPull(dockerode: Dockerode, progress: Progress): Promise<string | undefined> {
  const task = progress.start(`Pulling ${PULLABLE_BASE_IMAGE}`);
  try {
    const stream = await dockerode.pull(PULLABLE_BASE_IMAGE);
    await followDockerStream(dockerode, stream, (event) => event.status && task.update(event.status));
    await dockerode.getImage(PULLABLE_BASE_IMAGE).tag({ repo: BASE_IMAGE_REPOSITORY, tag: BASE_IMAGE_TAG });
    task.succeed(`pulled ${PULLABLE_BASE_IMAGE}`);
    return await imageExists(dockerode, BASE_IMAGE);
  } catch (error) {
    task.fail(`cannot pull ${PULLABLE_BASE_IMAGE} (${describeError(error)}); bootstrapping it instead`);
    return undefined;
  }
}

async function bootstrap(dockerode: Dockerode, progress: Progress, mirror: string): Promise<string> {
  const hint = 'Install debootstrap (apt-get install debootstrap) and run as root, or make debian:bookworm-slim pullable.';
  if (process.getuid?.() !== 0) {
    throw new BenchError('SB_BASE_IMAGE_UNAVAILABLE', `the base image ${BASE_IMAGE} is missing, cannot be pulled, and bootstrapping it needs root`, [], hint);
  }
  const rootfs = await mkdtemp(join(tmpdir(), 'sidecar-bench-rootfs-'));
  const task = progress.start(`Bootstrapping ${BASE_IMAGE} with debootstrap from ${mirror} (once per machine)`);
  try {
    const debootstrap = execa('debootstrap', ['--variant=minbase', 'bookworm', rootfs, mirror], { all: true, buffer: { all: true } });
    debootstrap.all?.on('data', (chunk: Buffer) => {
      const line = chunk.toString().trim().split('\n').pop();
      if (line) task.update(line);
    });
    await debootstrap;
    task.update('importing the root filesystem');
    const tar = execa('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], { buffer: false });
    const importStream = await dockerode.importImage(tar.stdout as NodeJS.ReadableStream, { repo: BASE_IMAGE_REPOSITORY, tag: BASE_IMAGE_TAG });
    await followDockerStream(dockerode, importStream, () => {});
    await tar;
    const id = await imageExists(dockerode, BASE_IMAGE);
    if (!id) throw new Error(`docker import did not produce ${BASE_IMAGE}`);
    task.succeed(`bootstrapped ${BASE_IMAGE}`);
    return id;
  } catch (error) {
    task.fail();
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'debootstrap is not installed' : describeError(error);
    throw new BenchError('SB_BASE_IMAGE_UNAVAILABLE', `cannot bootstrap ${BASE_IMAGE}: ${reason}`, [], hint, { cause: error });
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}
