import type { ProxyImageContext, SidecarProxy } from '../proxies/driver.js';
import { resolveSidecarProxy } from '../proxies/registry.js';
import type { ArmProxyRecord } from '../results/schema.js';
import type { ProxySpec } from '../scenario/index.js';
import type { Arm } from './arms.js';
import type { StartedTopology } from './pods-for-run.js';

/** The image request of an arm: calibration arms and proxy.addedDelay need the delay relay in the image. */
function imageRequest(arm: Pick<Arm, 'proxy' | 'calibrationDelayUs'>, proxy: ProxySpec): ProxySpec & { needsDelayRelay: boolean } {
  return { ...proxy, needsDelayRelay: proxy.addedDelayUs !== undefined || arm.calibrationDelayUs !== undefined };
}

/** Arms whose proxies share profile, version, image and relay share one resolved image. */
function imageKey(request: ReturnType<typeof imageRequest>): string {
  return JSON.stringify([request.profile, request.version ?? null, request.image ?? null, request.needsDelayRelay]);
}

/** Each arm's proxy, its image present locally; arms without a sidecar get none. */
export interface ArmProxies {
  /** The proxy an arm's sidecar runs; undefined for arms without one. */
  of(arm: Arm): SidecarProxy | undefined;
  /** Any resolved proxy: what a pod plan without sidecars is given (it renders none). */
  any: SidecarProxy;
  /** The proxy images resolved with an id, for results.json's images: by driver name, or "<driver> <reference>" when a driver runs several. */
  images(): Record<string, { tag: string; id: string }>;
}

/** Resolves (finds, builds or pulls, by its driver) every distinct proxy image the arms need, once each. */
export async function resolveArmProxies(arms: readonly Arm[], fallback: ProxySpec, context: ProxyImageContext): Promise<ArmProxies> {
  const requests = arms.flatMap((arm) => (arm.proxy ? [imageRequest(arm, arm.proxy)] : []));
  const byKey = new Map<string, SidecarProxy>();
  for (const request of requests.length > 0 ? requests : [imageRequest({}, fallback)]) {
    const key = imageKey(request);
    if (!byKey.has(key)) byKey.set(key, await resolveSidecarProxy(request, context));
  }
  return {
    of: (arm) => (arm.proxy ? byKey.get(imageKey(imageRequest(arm, arm.proxy))) : undefined),
    any: byKey.values().next().value as SidecarProxy,
    images: () => {
      const withId = [...byKey.values()].flatMap((proxy) => (proxy.resolved?.id ? [{ driver: proxy.driver.name, tag: proxy.image, id: proxy.resolved.id }] : []));
      const distinct = [...new Map(withId.map((image) => [image.tag, image])).values()];
      const several = (driver: string) => distinct.filter((image) => image.driver === driver).length > 1;
      return Object.fromEntries(distinct.map((image) => [several(image.driver) ? `${image.driver} ${image.tag}` : image.driver, { tag: image.tag, id: image.id }]));
    },
  };
}

/**
 * What one arm's sidecar is, asked of the sidecar itself: its version line comes from the arm's
 * own container, so two arms with different proxies or versions each record their own.
 */
export async function readArmProxy(topology: StartedTopology, spec: ProxySpec, proxy: SidecarProxy): Promise<ArmProxyRecord | undefined> {
  const sidecar = [topology.server, topology.client].flatMap((pod) => pod.containers).find((container) => container.role === 'sidecar');
  if (!sidecar) return undefined;
  const result = await sidecar.handle.exec(proxy.driver.versionCommand);
  // A failing command records nothing rather than its error text.
  if (result.exitCode !== 0) return undefined;
  return {
    profile: spec.profile,
    ...(spec.version ? { requestedVersion: spec.version } : {}),
    version: result.output.trim().split('\n')[0] ?? '',
    image: proxy.image,
    workerThreads: spec.workerThreads,
    ...(spec.addedDelayUs !== undefined ? { addedDelayUs: spec.addedDelayUs } : {}),
  };
}

/**
 * The run's proxies as `proxyVersions`: one entry per profile when every arm running it reports
 * the same version, else one per arm ("envoy (envoy-new)"), so no arm's version hides another's.
 */
export function proxyVersionsOf(arms: readonly { name: string; proxy?: ArmProxyRecord | undefined }[]): Record<string, string> {
  const byProfile = new Map<string, { arm: string; version: string }[]>();
  for (const arm of arms) {
    if (!arm.proxy) continue;
    byProfile.set(arm.proxy.profile, [...(byProfile.get(arm.proxy.profile) ?? []), { arm: arm.name, version: arm.proxy.version }]);
  }
  const versions: Record<string, string> = {};
  for (const [profile, entries] of byProfile) {
    const distinct = new Set(entries.map((entry) => entry.version));
    if (distinct.size === 1) versions[profile] = entries[0]?.version ?? '';
    else for (const entry of entries) versions[`${profile} (${entry.arm})`] = entry.version;
  }
  return versions;
}
