import type { ProxyDriver, ProxyImageContext, ProxyImageRequest, SidecarProxy } from './driver.js';
import { sidecarProxy } from './driver.js';
import { envoyDriver } from './envoy/driver.js';
import { haproxyDriver } from './haproxy/driver.js';

/**
 * Every proxy sidecar-bench can run, by the name a scenario's `proxy.profile` uses. Adding a
 * proxy: a folder under src/proxies/ with its driver, and one row here.
 */
export const PROXY_DRIVERS = {
  haproxy: haproxyDriver,
  envoy: envoyDriver,
} as const satisfies Record<string, ProxyDriver>;

export type ProxyName = keyof typeof PROXY_DRIVERS;
export const PROXY_NAMES = Object.keys(PROXY_DRIVERS) as [ProxyName, ...ProxyName[]];

export function proxyDriver(name: ProxyName): ProxyDriver {
  return PROXY_DRIVERS[name];
}

/** The scenario's proxy, its image present locally (built, found or pulled by its driver). */
export async function resolveSidecarProxy(proxy: { profile: ProxyName } & ProxyImageRequest, context: ProxyImageContext): Promise<SidecarProxy> {
  const driver = proxyDriver(proxy.profile);
  const request: ProxyImageRequest = {
    ...(proxy.image !== undefined ? { image: proxy.image } : {}),
    ...(proxy.version !== undefined ? { version: proxy.version } : {}),
    ...(proxy.needsDelayRelay ? { needsDelayRelay: true } : {}),
  };
  return sidecarProxy(driver, await driver.resolveImage(request, context));
}
