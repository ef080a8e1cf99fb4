import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_ENVOY_IMAGE, envoyProfile, renderEnvoyConfig } from './envoy.js';
import { haproxyProfile, renderHaproxyConfig } from './haproxy.js';
import type { SidecarOptions } from './proxy-profile.js';

const OPTIONS: SidecarOptions = { workerThreads: 3, appPort: 8080, inboundPort: 15006, outboundPort: 15001 };

describe('renderHaproxyConfig', () => {
  const config = renderHaproxyConfig(OPTIONS);
  const lines = config.split('\n').map((line) => line.trim());

  it('runs the requested worker threads', () => {
    expect(lines).toContain('nbthread 3');
    expect(renderHaproxyConfig({ ...OPTIONS, workerThreads: 1 }).split('\n').map((l) => l.trim())).toContain('nbthread 1');
  });

  it('binds the inbound and outbound capture ports', () => {
    expect(lines).toContain('bind :15006');
    expect(lines).toContain('bind :15001');
    expect(lines.filter((line) => line.startsWith('bind '))).toStrictEqual(['bind :15006', 'bind :15001']);
  });

  it('sends inbound traffic to the local app and outbound traffic to the original destination', () => {
    expect(config).toContain('frontend inbound\n  bind :15006\n  default_backend local_app\n');
    expect(config).toContain('frontend outbound\n  bind :15001\n  default_backend original_destination\n');
    expect(config).toContain('backend local_app\n  server app 127.0.0.1:8080\n');
    expect(lines).toContain('server original 0.0.0.0:0');
  });

  it('sets x-envoy-upstream-service-time from %Tr in both backends', () => {
    const header = 'http-response set-header x-envoy-upstream-service-time %Tr';
    expect(lines.filter((line) => line === header)).toHaveLength(2);
    const backend = (name: string) => config.slice(config.indexOf(`\nbackend ${name}\n`)).split('\n\n')[0] ?? '';
    expect(backend('local_app')).toContain(header);
    expect(backend('original_destination')).toContain(header);
  });

  it('follows the app port', () => {
    expect(renderHaproxyConfig({ ...OPTIONS, appPort: 9090 })).toContain('server app 127.0.0.1:9090\n');
  });
});

describe('haproxyProfile', () => {
  it('runs haproxy as the proxy user with the rendered config', () => {
    const profile = haproxyProfile('sb/haproxy:test');
    expect(profile).toMatchObject({ name: 'haproxy', image: 'sb/haproxy:test', pulled: false, versionCommand: ['haproxy', '-v'] });
    expect(profile.sidecarContainer(OPTIONS)).toStrictEqual({
      role: 'sidecar',
      image: 'sb/haproxy:test',
      user: '1337:1337',
      command: ['haproxy', '-db', '-f', '/etc/sidecar/haproxy.cfg'],
      files: [{ content: renderHaproxyConfig(OPTIONS), target: '/etc/sidecar/haproxy.cfg' }],
      readinessCommand: "bash -c '</dev/tcp/127.0.0.1/15006 && </dev/tcp/127.0.0.1/15001'",
    });
  });
});

interface EnvoyListener {
  name: string;
  address: { socket_address: { address: string; port_value: number } };
  listener_filters?: { name: string; typed_config: Record<string, string> }[];
  filter_chains: { filters: { typed_config: { route_config: { virtual_hosts: { routes: { route: { cluster: string } }[] }[] } } }[] }[];
}
interface EnvoyCluster {
  name: string;
  type: string;
  lb_policy?: string;
  load_assignment?: { endpoints: { lb_endpoints: { endpoint: { address: { socket_address: { address: string; port_value: number } } } }[] }[] };
}
interface EnvoyBootstrap {
  admin: unknown;
  static_resources: { listeners: EnvoyListener[]; clusters: EnvoyCluster[] };
}

describe('renderEnvoyConfig', () => {
  const config = parse(renderEnvoyConfig(OPTIONS)) as EnvoyBootstrap;
  const listener = (name: string) => config.static_resources.listeners.find((l) => l.name === name);
  const cluster = (name: string) => config.static_resources.clusters.find((c) => c.name === name);
  const routedCluster = (l: EnvoyListener | undefined) => l?.filter_chains[0]?.filters[0]?.typed_config.route_config.virtual_hosts[0]?.routes[0]?.route.cluster;

  it('parses as YAML with an outbound and an inbound listener on the capture ports', () => {
    expect(config.static_resources.listeners.map((l) => [l.name, l.address.socket_address.address, l.address.socket_address.port_value])).toStrictEqual([
      ['outbound', '0.0.0.0', 15001],
      ['inbound', '0.0.0.0', 15006],
    ]);
  });

  it('has an original_dst listener filter on the outbound listener only', () => {
    expect(listener('outbound')?.listener_filters).toStrictEqual([
      {
        name: 'envoy.filters.listener.original_dst',
        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst' },
      },
    ]);
    expect(listener('inbound')).not.toHaveProperty('listener_filters');
  });

  it('routes outbound to an ORIGINAL_DST cluster and inbound to 127.0.0.1:appPort', () => {
    expect(routedCluster(listener('outbound'))).toBe('original_destination');
    expect(routedCluster(listener('inbound'))).toBe('local_app');
    expect(cluster('original_destination')).toMatchObject({ type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED' });
    expect(cluster('local_app')?.type).toBe('STATIC');
    expect(cluster('local_app')?.load_assignment?.endpoints[0]?.lb_endpoints[0]?.endpoint.address.socket_address).toStrictEqual({
      address: '127.0.0.1',
      port_value: 8080,
    });
  });

  it('keeps the admin interface on loopback', () => {
    expect(config.admin).toStrictEqual({ address: { socket_address: { address: '127.0.0.1', port_value: 15000 } } });
  });
});

describe('envoyProfile', () => {
  it('passes worker threads as --concurrency and defaults to the seed image', () => {
    const profile = envoyProfile();
    expect(profile).toMatchObject({ name: 'envoy', image: DEFAULT_ENVOY_IMAGE, pulled: true, versionCommand: ['envoy', '--version'] });
    const container = profile.sidecarContainer(OPTIONS);
    expect(container.user).toBe('1337:1337');
    expect(container.command).toStrictEqual(['envoy', '-c', '/etc/sidecar/envoy.yaml', '--concurrency', '3', '--log-level', 'warn']);
    expect(container.files).toStrictEqual([{ content: renderEnvoyConfig(OPTIONS), target: '/etc/sidecar/envoy.yaml' }]);
    expect(envoyProfile('my/envoy:1').sidecarContainer(OPTIONS).image).toBe('my/envoy:1');
  });
});
