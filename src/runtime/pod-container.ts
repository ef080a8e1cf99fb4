import type Dockerode from 'dockerode';
import { GenericContainer } from 'testcontainers';

/**
 * testcontainers has no API for cpusets or sysctls; its host config is protected, so this subclass
 * merges the missing fields into it.
 */
export class PodContainer extends GenericContainer {
  withHostConfig(patch: Partial<Dockerode.HostConfig>): this {
    Object.assign(this.hostConfig, patch);
    return this;
  }
}
