import type Dockerode from 'dockerode';
import { BenchError, describeError } from '../errors.js';

/**
 * testcontainers must never pull: its reaper (Ryuk) and its gateway helper are images from a
 * registry. sidecar-bench removes what it creates itself, so both are switched off.
 */
export function configureTestcontainersEnv(env: NodeJS.ProcessEnv = process.env): void {
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
}

export interface DockerConnection {
  dockerode: Dockerode;
  /** The engine's own version, e.g. "20.10.24+dfsg1". */
  serverVersion: string;
}

const FIX_DOCKER_HINT =
  'Start a Docker engine (on Debian: `sudo scripts/install-docker.sh`), or point DOCKER_HOST at one.';

/** Connects to the Docker engine testcontainers finds (DOCKER_HOST, ~/.testcontainers.properties, the socket). */
export async function connectDocker(env: NodeJS.ProcessEnv = process.env): Promise<DockerConnection> {
  configureTestcontainersEnv(env);
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    const dockerode = client.container.dockerode;
    const version = await dockerode.version();
    return { dockerode, serverVersion: version.Version };
  } catch (error) {
    throw new BenchError('SB_DOCKER_UNREACHABLE', `no Docker engine is reachable: ${describeError(error)}`, [], FIX_DOCKER_HINT, { cause: error });
  }
}
