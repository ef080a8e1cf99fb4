import { describe, expect, it } from 'vitest';
import { proxyVersionsOf } from './arm-proxies.js';

const record = (profile: string, version: string) => ({ profile, version, image: `${profile}:x`, workerThreads: 1 });

describe('proxyVersionsOf', () => {
  it('one entry per profile when its arms agree; arms without a proxy add nothing', () => {
    expect(proxyVersionsOf([{ name: 'app-only' }, { name: 'sidecar', proxy: record('haproxy', 'HAProxy version 2.6.12') }, { name: 'mtls', proxy: record('haproxy', 'HAProxy version 2.6.12') }])).toStrictEqual({
      haproxy: 'HAProxy version 2.6.12',
    });
  });

  it('a paired run with another proxy as baseline records both, each under its own profile', () => {
    expect(proxyVersionsOf([{ name: 'sidecar-baseline', proxy: record('envoy', 'envoy 1.36.2') }, { name: 'sidecar', proxy: record('haproxy', 'HAProxy version 2.6.12') }])).toStrictEqual({
      envoy: 'envoy 1.36.2',
      haproxy: 'HAProxy version 2.6.12',
    });
  });

  it('two versions of one proxy are recorded per arm, neither hiding the other', () => {
    expect(proxyVersionsOf([{ name: 'old', proxy: record('envoy', 'envoy 1.36.2') }, { name: 'new', proxy: record('envoy', 'envoy 1.40.0') }])).toStrictEqual({
      'envoy (old)': 'envoy 1.36.2',
      'envoy (new)': 'envoy 1.40.0',
    });
  });
});
