import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SidecarOptions } from '../driver.js';
import { renderEnvoyConfig } from './config.js';
import { envoyDriver } from './driver.js';

const OPTIONS: SidecarOptions = { workerThreads: 3, appPort: 8080, inboundPort: 15006, outboundPort: 15001 };

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

  it('inboundEndpoint pod-ip: the inbound listener restores the original destination and local_app connects to it (Istio 1.10+)', () => {
    const podIp = parse(renderEnvoyConfig({ ...OPTIONS, inboundEndpoint: 'pod-ip' })) as EnvoyBootstrap;
    const inbound = podIp.static_resources.listeners.find((l) => l.name === 'inbound');
    expect(inbound?.listener_filters?.map((filter) => filter.name)).toStrictEqual(['envoy.filters.listener.original_dst']);
    const localApp = podIp.static_resources.clusters.find((c) => c.name === 'local_app');
    expect(localApp).toMatchObject({ type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED' });
    expect(localApp).not.toHaveProperty('load_assignment');
    expect(podIp.static_resources.clusters.find((c) => c.name === 'original_destination')).toStrictEqual(cluster('original_destination'));
  });

  it('logs only flagged or 5xx requests, one "[sb-access] status flags …" line each, on both listeners', () => {
    type Hcm = { access_log: { filter: unknown; typed_config: { log_format: { text_format_source: { inline_string: string } } } }[]; route_config: { virtual_hosts: { routes: { route: { timeout: string } }[] }[] } };
    for (const name of ['inbound', 'outbound']) {
      const hcm = listener(name)?.filter_chains[0]?.filters[0]?.typed_config as unknown as Hcm;
      expect(hcm.access_log).toHaveLength(1);
      expect(hcm.access_log[0]?.filter).toStrictEqual({ or_filter: { filters: [{ response_flag_filter: {} }, { status_code_filter: { comparison: { op: 'GE', value: { default_value: 500, runtime_key: 'sidecar_bench.access_log_min_status' } } } }] } });
      expect(hcm.access_log[0]?.typed_config.log_format.text_format_source.inline_string).toBe('[sb-access] %RESPONSE_CODE% %RESPONSE_FLAGS% %UPSTREAM_TRANSPORT_FAILURE_REASON% %UPSTREAM_HOST%\n');
      expect(hcm.route_config.virtual_hosts[0]?.routes[0]?.route.timeout).toBe('130s');
    }
    const short = parse(renderEnvoyConfig({ ...OPTIONS, routeTimeoutMs: 50 })) as { static_resources: { listeners: { filter_chains: { filters: { typed_config: Hcm }[] }[] }[] } };
    expect(short.static_resources.listeners.map((l) => l.filter_chains[0]?.filters[0]?.typed_config.route_config.virtual_hosts[0]?.routes[0]?.route.timeout)).toStrictEqual(['0.05s', '0.05s']);
  });

  it('keeps the admin interface on loopback', () => {
    expect(config.admin).toStrictEqual({ address: { socket_address: { address: '127.0.0.1', port_value: 15000 } } });
  });
});

describe('envoyDriver', () => {
  it('passes worker threads as --concurrency and runs the given image', () => {
    expect(envoyDriver).toMatchObject({ name: 'envoy', versionCommand: ['envoy', '--version'] });
    const container = envoyDriver.sidecarContainer('sb/envoy:test', OPTIONS);
    expect(container.user).toBe('1337:1337');
    expect(container.command).toStrictEqual(['envoy', '-c', '/etc/sidecar/envoy.yaml', '--concurrency', '3', '--log-level', 'warn', '--file-flush-interval-msec', '1000']);
    expect(container.files).toStrictEqual([{ content: renderEnvoyConfig(OPTIONS), target: '/etc/sidecar/envoy.yaml' }]);
    expect(envoyDriver.sidecarContainer('my/envoy:1', OPTIONS).image).toBe('my/envoy:1');
  });
});

describe('renderEnvoyConfig: hops, calibration, circuit breakers', () => {
  type Route = { response_headers_to_add: { header: { key: string; value: string }; append_action: string }[] };
  type Listener = { name: string; filter_chains: { filters: { typed_config: { route_config: { virtual_hosts: { routes: Route[] }[] } } }[] }[] };
  type Cluster = { name: string; circuit_breakers: { thresholds: Record<string, unknown>[] }; load_assignment?: { endpoints: { lb_endpoints: { endpoint: { address: { socket_address: { port_value: number } } } }[] }[] } };
  const parsed = (options: SidecarOptions) => parse(renderEnvoyConfig(options)) as { static_resources: { listeners: Listener[]; clusters: Cluster[] } };

  it('appends the hop it served to x-sidecar-bench-hop on the way back, as the HAProxy config does', () => {
    const hops = parsed(OPTIONS).static_resources.listeners.map((listener) => [listener.name, listener.filter_chains[0]?.filters[0]?.typed_config.route_config.virtual_hosts[0]?.routes[0]?.response_headers_to_add]);
    expect(hops).toStrictEqual([
      ['outbound', [{ header: { key: 'x-sidecar-bench-hop', value: 'outbound' }, append_action: 'APPEND_IF_EXISTS_OR_ADD' }]],
      ['inbound', [{ header: { key: 'x-sidecar-bench-hop', value: 'inbound' }, append_action: 'APPEND_IF_EXISTS_OR_ADD' }]],
    ]);
  });

  it('reaches the app through the delay relay when calibrating, and runs the relay before Envoy', () => {
    const appPort = (options: SidecarOptions) => parsed(options).static_resources.clusters.find((c) => c.name === 'local_app')?.load_assignment?.endpoints[0]?.lb_endpoints[0]?.endpoint.address.socket_address.port_value;
    expect(appPort(OPTIONS)).toBe(8080);
    expect(appPort({ ...OPTIONS, calibrationDelayUs: 500 })).toBe(15098);
    const command = envoyDriver.sidecarContainer('sb/envoy:test', { ...OPTIONS, calibrationDelayUs: 500 }).command ?? [];
    expect(command.slice(0, 2)).toStrictEqual(['bash', '-c']);
    expect(command[2]).toContain('/usr/local/bin/sidecar-bench-delay-relay 15098 8080 500 & exec envoy -c /etc/sidecar/envoy.yaml --concurrency 3 --log-level warn');
  });

  it('keeps Envoy’s default circuit breakers (1024) unless the scenario needs more connections, then follows it', () => {
    const limits = (options: SidecarOptions) => parsed(options).static_resources.clusters.map((c) => [c.name, c.circuit_breakers.thresholds]);
    const thresholds = (limit: number) => [{ priority: 'DEFAULT', max_connections: limit, max_pending_requests: limit, max_requests: limit }];
    expect(limits({ ...OPTIONS, maxConnections: 64 })).toStrictEqual([['original_destination', thresholds(1024)], ['local_app', thresholds(1024)]]);
    expect(limits({ ...OPTIONS, maxConnections: 5000 })).toStrictEqual([['original_destination', thresholds(5000)], ['local_app', thresholds(5000)]]);
  });
});

describe('renderEnvoyConfig for HTTP/2 and gRPC', () => {
  type Hcm = { codec_type?: string; http2_protocol_options?: { max_concurrent_streams: number } };
  type Cluster = { name: string; circuit_breakers: { thresholds: { max_requests: number }[] }; typed_extension_protocol_options?: Record<string, { explicit_http_config: { http2_protocol_options?: { max_concurrent_streams: number } } }> };
  type Bootstrap = { static_resources: { listeners: { name: string; filter_chains: { filters: { typed_config: Hcm }[] }[] }[]; clusters: Cluster[] } };
  const parsed = (options: SidecarOptions) => parse(renderEnvoyConfig(options)) as Bootstrap;
  const h2Streams = (cluster: Cluster | undefined) => cluster?.typed_extension_protocol_options?.['envoy.extensions.upstreams.http.v3.HttpProtocolOptions']?.explicit_http_config.http2_protocol_options?.max_concurrent_streams;

  it.each(['http2', 'grpc'] as const)('%s: both listeners take HTTP/2 and both clusters speak it, ≥ 1024 streams per connection', (protocol) => {
    const config = parsed({ ...OPTIONS, protocol, streamsPerConnection: 1024, maxConnections: 4, maxConcurrentRequests: 4096 });
    for (const listener of config.static_resources.listeners) {
      expect(listener.filter_chains[0]?.filters[0]?.typed_config).toMatchObject({ codec_type: 'HTTP2', http2_protocol_options: { max_concurrent_streams: 1024 } });
    }
    expect(config.static_resources.clusters.map((cluster) => [cluster.name, h2Streams(cluster)])).toStrictEqual([
      ['original_destination', 1024],
      ['local_app', 1024],
    ]);
    // 4 connections × 1024 streams in flight: the circuit breakers never cap below that.
    for (const cluster of config.static_resources.clusters) expect(cluster.circuit_breakers.thresholds[0]?.max_requests).toBe(4096);
  });

  it('HTTP/1.1 keeps the codec and clusters as they were', () => {
    const config = parsed({ ...OPTIONS, protocol: 'http1' });
    expect(config.static_resources.listeners[0]?.filter_chains[0]?.filters[0]?.typed_config.codec_type).toBeUndefined();
    expect(config.static_resources.clusters.map(h2Streams)).toStrictEqual([undefined, undefined]);
  });
});

describe('renderEnvoyConfig: WebSocket and TCP ports', () => {
  type Chain = { filter_chain_match?: { destination_port: number }; filters: { name: string; typed_config: Record<string, unknown> }[] };
  type Listener = { name: string; listener_filters?: { name: string }[]; filter_chains: Chain[] };
  type Cluster = { name: string; type: string; lb_policy?: string; load_assignment?: { endpoints: { lb_endpoints: { endpoint: { address: { socket_address: { port_value: number } } } }[] }[] } };
  const parsed = (options: SidecarOptions) => parse(renderEnvoyConfig(options)) as { static_resources: { listeners: Listener[]; clusters: Cluster[] } };

  it('lets WebSocket upgrades through both HTTP connection managers', () => {
    for (const listener of parsed(OPTIONS).static_resources.listeners) {
      expect(listener.filter_chains.at(-1)?.filters[0]?.typed_config.upgrade_configs).toStrictEqual([{ upgrade_type: 'websocket' }]);
    }
  });

  it('puts a tcp_proxy chain per TCP port before the HTTP chain, matched on the original destination port', () => {
    const config = parsed({ ...OPTIONS, tcpPorts: [9000] });
    const summary = config.static_resources.listeners.map((listener) => [
      listener.name,
      listener.listener_filters?.map((filter) => filter.name),
      listener.filter_chains.map((chain) => [chain.filter_chain_match?.destination_port, chain.filters[0]?.name, chain.filters[0]?.typed_config.cluster]),
    ]);
    expect(summary).toStrictEqual([
      ['outbound', ['envoy.filters.listener.original_dst'], [[9000, 'envoy.filters.network.tcp_proxy', 'original_destination_tcp'], [undefined, 'envoy.filters.network.http_connection_manager', undefined]]],
      // The inbound listener needs the original destination too, to see port 9000 rather than 15006.
      ['inbound', ['envoy.filters.listener.original_dst'], [[9000, 'envoy.filters.network.tcp_proxy', 'local_app_tcp_9000'], [undefined, 'envoy.filters.network.http_connection_manager', undefined]]],
    ]);
    const clusters = config.static_resources.clusters;
    expect(clusters.find((c) => c.name === 'original_destination_tcp')).toMatchObject({ type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED' });
    expect(clusters.find((c) => c.name === 'local_app_tcp_9000')?.load_assignment?.endpoints[0]?.lb_endpoints[0]?.endpoint.address.socket_address.port_value).toBe(9000);
  });

  it('adds no TCP chain, cluster or inbound listener filter without TCP ports', () => {
    expect(parsed(OPTIONS).static_resources.clusters.map((c) => c.name)).toStrictEqual(['original_destination', 'local_app']);
    expect(parsed(OPTIONS).static_resources.listeners.find((l) => l.name === 'inbound')?.listener_filters).toBeUndefined();
  });
});
