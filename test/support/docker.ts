import type Dockerode from 'dockerode';
import { connectDocker } from '../../src/runtime/docker-env.js';

/**
 * The Docker engine for integration tests. Under CI (CI=true) a missing engine is a failure, never a
 * skip: a green run that skipped the container tests would be a lie.
 */
export async function dockerForTests(): Promise<Dockerode | undefined> {
  try {
    return (await connectDocker()).dockerode;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`CI=true but no Docker engine is reachable: ${(error as Error).message}`);
    console.warn(`skipping container tests: ${(error as Error).message}`);
    return undefined;
  }
}

/** Containers and networks sidecar-bench made that still exist (any run). */
export async function leftovers(dockerode: Dockerode): Promise<string[]> {
  const filters = { label: ['io.sidecar-bench.run-id'] };
  const containers = await dockerode.listContainers({ all: true, filters });
  const networks = await dockerode.listNetworks({ filters });
  return [...containers.map((container) => `container ${container.Names[0]}`), ...networks.map((network) => `network ${network.Name}`)];
}
