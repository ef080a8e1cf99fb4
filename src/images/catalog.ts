import { fileURLToPath } from 'node:url';

/** The folder holding one sub-folder per image (Dockerfile + files). */
export const DOCKER_DIR = fileURLToPath(new URL('../../docker/', import.meta.url));
/** Where `npm run build` puts the bundled in-container programs. */
export const WORKLOADS_DIR = fileURLToPath(new URL('../../dist/workloads/', import.meta.url));

export const IMAGE_NAMES = ['pause', 'init', 'app', 'haproxy', 'loadgen', 'ebpf'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

/** What goes into one image's build context. */
export interface BuildContextDefinition {
  /** The folder under docker/ holding the Dockerfile. */
  name: string;
  /** Files from dist/workloads copied into the build context next to the Dockerfile. */
  workloadFiles: string[];
  /**
   * Copy the Node.js binary sidecar-bench runs on into the context as `node`. Debian's Node 18
   * wakes from timers ~4x later at P99 than Node 20 (measured in the loadgen container: 440 µs vs
   * 100 µs), which would show up as load-generator lag in every open-model run.
   */
  hostNode: boolean;
  /** Files from docker/shared/ copied into the context under the same name (e.g. the delay relay). */
  sharedFiles?: string[];
}

export interface ImageDefinition extends BuildContextDefinition {
  name: ImageName;
}

export const IMAGE_DEFINITIONS: Record<ImageName, ImageDefinition> = {
  pause: { name: 'pause', workloadFiles: [], hostNode: false },
  init: { name: 'init', workloadFiles: [], hostNode: false },
  app: { name: 'app', workloadFiles: ['app-server.cjs', 'bench.proto'], hostNode: true },
  haproxy: { name: 'haproxy', workloadFiles: [], hostNode: false, sharedFiles: ['delay-relay.c'] },
  loadgen: { name: 'loadgen', workloadFiles: ['loadgen-agent.cjs', 'bench.proto'], hostNode: true },
  /** BPF object compiled with clang in its build, bpftool and the sb-bpf loader script (docker/ebpf). */
  ebpf: { name: 'ebpf', workloadFiles: [], hostNode: false },
};

export const IMAGE_REPOSITORY_PREFIX = 'sidecar-bench/';
/** Every image sidecar-bench builds carries this label, so they can be listed and pruned. */
export const IMAGE_LABEL = 'io.sidecar-bench.image';
