import { describe, expect, it } from 'vitest';
import type { SidecarOptions } from '../driver.js';
import { renderHaproxyConfig } from './config.js';
import { haproxyDriver } from './driver.js';

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

  it('logs errors only, with httplog (its termination state is the evidence of a failed request)', () => {
    expect(lines).toContain('log stdout format raw local0 info');
    expect(config).toContain('\n  log global\n  option httplog\n  option dontlog-normal\n');
  });

  it('sets the route timeout as timeout server (default 130 s)', () => {
    expect(lines).toContain('timeout server 130000ms');
    expect(renderHaproxyConfig({ ...OPTIONS, routeTimeoutMs: 50 }).split('\n').map((line) => line.trim())).toContain('timeout server 50ms');
  });

  it('inboundEndpoint pod-ip: the inbound backend connects to the address the client asked for (the pod IP), on the app port', () => {
    const podIp = renderHaproxyConfig({ ...OPTIONS, inboundEndpoint: 'pod-ip' });
    expect(podIp).toMatch(/\nbackend local_app\n(  #.*\n)?  server app 0\.0\.0\.0:8080\n/);
    expect(podIp).not.toContain('127.0.0.1:8080');
    // Only the inbound backend changes.
    expect(podIp.replace(/\n  # 0\.0\.0\.0:port.*\n  server app 0\.0\.0\.0:8080/, '\n  server app 127.0.0.1:8080')).toBe(config);
  });

  it('follows the app port', () => {
    expect(renderHaproxyConfig({ ...OPTIONS, appPort: 9090 })).toContain('server app 127.0.0.1:9090\n');
  });
});

describe('haproxyDriver', () => {
  it('runs haproxy as the proxy user with the rendered config', () => {
    expect(haproxyDriver).toMatchObject({ name: 'haproxy', versionCommand: ['haproxy', '-v'] });
    expect(haproxyDriver.sidecarContainer('sb/haproxy:test', OPTIONS)).toStrictEqual({
      role: 'sidecar',
      image: 'sb/haproxy:test',
      user: '1337:1337',
      command: ['haproxy', '-db', '-f', '/etc/sidecar/haproxy.cfg'],
      files: [{ content: renderHaproxyConfig(OPTIONS), target: '/etc/sidecar/haproxy.cfg' }],
      readinessCommand: "bash -c '</dev/tcp/127.0.0.1/15006 && </dev/tcp/127.0.0.1/15001'",
    });
  });
});

describe('renderHaproxyConfig for HTTP/2 and gRPC', () => {
  it.each(['http2', 'grpc'] as const)('%s: h2c on both binds and both server lines, streams per connection ≥ 1024 and ≥ the load’s', (protocol) => {
    const config = renderHaproxyConfig({ ...OPTIONS, appPort: 8081, protocol, streamsPerConnection: 2000 });
    const lines = config.split('\n').map((line) => line.trim());
    expect(lines.filter((line) => line.startsWith('bind '))).toStrictEqual(['bind :15006 proto h2', 'bind :15001 proto h2']);
    expect(lines).toContain('server app 127.0.0.1:8081 proto h2');
    expect(lines).toContain('server original 0.0.0.0:0 proto h2');
    expect(lines).toContain('tune.h2.max-concurrent-streams 2000');
    expect(renderHaproxyConfig({ ...OPTIONS, protocol, streamsPerConnection: 8 })).toContain('tune.h2.max-concurrent-streams 1024');
  });

  it('HTTP/1.1 has no h2 line at all', () => {
    expect(renderHaproxyConfig({ ...OPTIONS, protocol: 'http1' })).not.toMatch(/h2/);
  });
});

describe('renderHaproxyConfig: TCP ports (L4)', () => {
  const config = renderHaproxyConfig({ ...OPTIONS, tcpPorts: [9000] });
  const section = (header: string) => (config.slice(config.indexOf(`\n${header}\n`) + 1).split('\n\n')[0] ?? '').trimEnd();

  it('makes both frontends mode tcp, picking the TCP backend by original destination port and HTTP otherwise', () => {
    expect(section('frontend inbound')).toBe('frontend inbound\n  bind :15006\n  mode tcp\n  use_backend local_app_tcp_9000 if { dst_port 9000 }\n  default_backend local_app');
    expect(section('frontend outbound')).toBe('frontend outbound\n  bind :15001\n  mode tcp\n  use_backend original_destination_tcp if { dst_port 9000 }\n  default_backend original_destination');
  });

  it('passes TCP to 127.0.0.1:port inbound and to the original destination outbound, keeping the HTTP backends', () => {
    expect(section('backend local_app_tcp_9000')).toBe('backend local_app_tcp_9000\n  mode tcp\n  server app 127.0.0.1:9000');
    expect(section('backend original_destination_tcp')).toBe('backend original_destination_tcp\n  mode tcp\n  server original 0.0.0.0:0');
    expect(section('backend local_app')).toContain('http-response set-header x-envoy-upstream-service-time %Tr');
  });

  it('renders exactly the HTTP-only config without TCP ports', () => {
    expect(renderHaproxyConfig({ ...OPTIONS, tcpPorts: [] })).toBe(renderHaproxyConfig(OPTIONS));
    expect(renderHaproxyConfig(OPTIONS)).not.toContain('mode tcp');
  });
});
