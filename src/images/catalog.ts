import { fileURLToPath } from 'node:url';

/** The folder holding one sub-folder per image (Dockerfile + files). */
export const DOCKER_DIR = fileURLToPath(new URL('../../docker/', import.meta.url));
/** Where `npm run build` puts the bundled in-container programs. */
export const WORKLOADS_DIR = fileURLToPath(new URL('../../dist/workloads/', import.meta.url));

export const IMAGE_NAMES = ['pause', 'init', 'app', 'haproxy', 'loadgen'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

export interface ImageDefinition {
  name: ImageName;
  /** Files from dist/workloads copied into the build context next to the Dockerfile. */
  workloadFiles: string[];
}

export const IMAGE_DEFINITIONS: Record<ImageName, ImageDefinition> = {
  pause: { name: 'pause', workloadFiles: [] },
  init: { name: 'init', workloadFiles: [] },
  app: { name: 'app', workloadFiles: ['app-server.cjs'] },
  haproxy: { name: 'haproxy', workloadFiles: [] },
  loadgen: { name: 'loadgen', workloadFiles: ['loadgen-agent.cjs'] },
};

export const IMAGE_REPOSITORY_PREFIX = 'sidecar-bench/';
/** Every image sidecar-bench builds carries this label, so they can be listed and pruned. */
export const IMAGE_LABEL = 'io.sidecar-bench.image';
