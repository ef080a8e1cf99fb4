/**
 * Read-only probes of the real host for `doctor`: the Docker engine, commands, executables and
 * free disk space. Each is a small function so checks can be given fakes in tests.
 */
import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { connectDocker } from '../runtime/docker-env.js';
import { findRunResources, type RunLeftovers } from '../runtime/orphans.js';
import type { NetnsSandbox } from './interception-check.js';
import { initContainerSandbox, newestImage, newestInitImage } from './netns-sandbox.js';
import { randomBytes } from 'node:crypto';
import { describeError } from '../errors.js';
import { runLoader } from '../interception/ebpf-session.js';
import { RunResources } from '../runtime/run-resources.js';

/** What doctor needs to know about the Docker engine. Nothing here creates or removes anything. */
export interface DockerProbe {
  /** The engine's version, e.g. "20.10.24+dfsg1". */
  serverVersion: string;
  /** The engine's data directory (`docker info` DockerRootDir), e.g. "/var/lib/docker". */
  rootDir: string;
  /** Whether an image with this reference is present locally (never pulls). */
  hasImage(ref: string): Promise<boolean>;
  /** Containers and networks of sidecar-bench runs on this engine, by run, with their owner's state. */
  runResources(): Promise<RunLeftovers[]>;
  /** A throwaway namespace in a container of the newest init image, or undefined when none is built. */
  initSandbox(): Promise<NetnsSandbox | undefined>;
  /** The ebpf image's kernel probe output ("feature yes|no" lines), or undefined when that image is not built (doctor builds nothing). */
  ebpfFeatures?(): Promise<string[] | undefined>;
}

/** Connects with {@link connectDocker} and reads the engine's root directory. Rejects with its BenchError when unreachable. */
export async function probeDocker(env: NodeJS.ProcessEnv = process.env): Promise<DockerProbe> {
  const { dockerode, serverVersion } = await connectDocker(env);
  const info = (await dockerode.info()) as { DockerRootDir?: string };
  return {
    serverVersion,
    rootDir: info.DockerRootDir ?? '/var/lib/docker',
    runResources: () => findRunResources(dockerode),
    ebpfFeatures: async () => {
      const image = await newestImage(dockerode, 'ebpf');
      if (!image) return undefined;
      try {
        return await runLoader(dockerode, image, ['features'], 'probe the kernel for the ebpf topologies', { labels: { ...new RunResources(dockerode, `doctor-${randomBytes(3).toString('hex')}`).labels, 'io.sidecar-bench.role': 'doctor-ebpf' } });
      } catch (error) {
        return [`load no: ${describeError(error)}`];
      }
    },
    initSandbox: async () => {
      const image = await newestInitImage(dockerode);
      return image ? initContainerSandbox(dockerode, image) : undefined;
    },
    hasImage: async (ref) => {
      try {
        await dockerode.getImage(ref).inspect();
        return true;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return false;
        throw error;
      }
    },
  };
}

/** How a command ended. `exitCode` is undefined when it could not start or was killed. */
export interface CommandResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/** Longest any doctor command may run. */
export const COMMAND_TIMEOUT_MS = 10_000;

/** Runs a command without a shell; never rejects (a failure to start is a result with its message in stderr). */
export async function runCommand(file: string, args: readonly string[], timeoutMs = COMMAND_TIMEOUT_MS): Promise<CommandResult> {
  const result = await execa(file, args, { reject: false, timeout: timeoutMs, stdin: 'ignore' });
  const stderr = result.stderr || (result.failed && result.exitCode === undefined ? (result.shortMessage ?? '') : '');
  return { exitCode: result.exitCode, stdout: result.stdout, stderr };
}

/** sbin directories are searched too: a non-root PATH often lacks them, yet iptables lives there. */
const EXTRA_SEARCH_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The full path of an executable found on PATH (then the sbin directories), or undefined. */
export async function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_SEARCH_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Bytes available to an unprivileged writer on the filesystem holding `path`. Rejects if `path` is not visible here. */
export async function freeBytes(path: string): Promise<number> {
  const stats = await statfs(path);
  return stats.bavail * stats.bsize;
}
