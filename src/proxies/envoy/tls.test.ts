import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SidecarOptions } from '../driver.js';
import type { SidecarTls } from '../sidecar-tls.js';
import { renderEnvoyConfig } from './config.js';
import { envoyDriver } from './driver.js';
import { sdsSecretEntries } from './sds.js';

const OPTIONS: SidecarOptions = { workerThreads: 2, appPort: 8080, inboundPort: 15006, outboundPort: 15001 };
const CLIENT_ID = 'spiffe://cluster.local/ns/bench/sa/loadgen';
const SERVER_ID = 'spiffe://cluster.local/ns/bench/sa/app';
const TLS13: SidecarTls = { version: 'TLSv1.3', allowedClientIds: [CLIENT_ID], allowedServerIds: [SERVER_ID], connectionReuse: 'keep-alive', sessionResumption: true };

const DOWNSTREAM_TLS_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext';
const UPSTREAM_TLS_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
const HTTP_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

interface TransportSocket {
  name: string;
  typed_config: { '@type': string; require_client_certificate?: boolean; common_tls_context: Record<string, unknown> };
}
interface Listener {
  name: string;
  filter_chains: { transport_socket?: TransportSocket; filters: unknown[] }[];
}
interface Cluster {
  name: string;
  type: string;
  transport_socket?: TransportSocket;
  typed_extension_protocol_options?: Record<string, unknown>;
}
interface Bootstrap {
  static_resources: { listeners: Listener[]; clusters: Cluster[] };
}

function bootstrap(tls: SidecarTls | undefined): Bootstrap {
  return parse(renderEnvoyConfig({ ...OPTIONS, ...(tls ? { tls } : {}) })) as Bootstrap;
}
const listener = (config: Bootstrap, name: string) => config.static_resources.listeners.find((l) => l.name === name);
const cluster = (config: Bootstrap, name: string) => config.static_resources.clusters.find((c) => c.name === name);

const sds = (name: string, file: string) => ({
  name,
  sds_config: { path_config_source: { path: `/etc/sidecar/tls/${file}`, watched_directory: { path: '/etc/sidecar/tls' } }, resource_api_version: 'V3' },
});

/** The common TLS context both sides share, for one allowed peer and one TLS version. */
function commonContext(peerId: string, version: string, cipher?: string) {
  return {
    tls_params: { tls_minimum_protocol_version: version, tls_maximum_protocol_version: version, ...(cipher ? { cipher_suites: [cipher] } : {}) },
    // SVID and bundle from file-based SDS, reloaded when anything moves into /etc/sidecar/tls.
    tls_certificate_sds_secret_configs: [sds('default', 'svid.yaml')],
    combined_validation_context: {
      default_validation_context: { match_typed_subject_alt_names: [{ san_type: 'URI', matcher: { exact: peerId } }] },
      validation_context_sds_secret_config: sds('ROOTCA', 'bundle.yaml'),
    },
  };
}

describe('renderEnvoyConfig with TLS 1.3', () => {
  const config = bootstrap(TLS13);

  it('requires a client certificate on the inbound listener and matches the client SPIFFE ID', () => {
    const chains = listener(config, 'inbound')?.filter_chains ?? [];
    expect(chains).toHaveLength(1);
    expect(chains[0]?.transport_socket).toStrictEqual({
      name: 'envoy.transport_sockets.tls',
      typed_config: { '@type': DOWNSTREAM_TLS_TYPE, require_client_certificate: true, common_tls_context: commonContext(CLIENT_ID, 'TLSv1_3') },
    });
  });

  it('originates TLS from the ORIGINAL_DST cluster and matches the server SPIFFE ID', () => {
    const originalDestination = cluster(config, 'original_destination');
    expect(originalDestination?.type).toBe('ORIGINAL_DST');
    expect(originalDestination?.transport_socket).toStrictEqual({
      name: 'envoy.transport_sockets.tls',
      typed_config: { '@type': UPSTREAM_TLS_TYPE, common_tls_context: commonContext(SERVER_ID, 'TLSv1_3') },
    });
  });

  it('keeps connections alive: no per-connection request limit', () => {
    expect(cluster(config, 'original_destination')).not.toHaveProperty('typed_extension_protocol_options');
  });

  it('leaves the outbound listener plaintext (the app’s plaintext is intercepted there) and the local app cluster plaintext', () => {
    for (const chain of listener(config, 'outbound')?.filter_chains ?? []) expect(chain).not.toHaveProperty('transport_socket');
    expect(cluster(config, 'local_app')).not.toHaveProperty('transport_socket');
    expect(renderEnvoyConfig({ ...OPTIONS, tls: TLS13 }).match(/envoy\.transport_sockets\.tls/g)).toHaveLength(2);
  });

  it('does not write a TLS 1.3 suite (Envoy takes cipher_suites for TLS 1.2 only)', () => {
    const withSuite = bootstrap({ ...TLS13, ciphersuites: 'TLS_AES_128_GCM_SHA256' });
    expect(withSuite.static_resources).toStrictEqual(config.static_resources);
  });
});

describe('renderEnvoyConfig with other TLS settings', () => {
  it('TLS 1.2 with a cipher pins the version and the cipher on both sides', () => {
    const config = bootstrap({ ...TLS13, version: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
    expect(listener(config, 'inbound')?.filter_chains[0]?.transport_socket?.typed_config.common_tls_context).toStrictEqual(
      commonContext(CLIENT_ID, 'TLSv1_2', 'ECDHE-ECDSA-AES128-GCM-SHA256'),
    );
    expect(cluster(config, 'original_destination')?.transport_socket?.typed_config.common_tls_context).toStrictEqual(
      commonContext(SERVER_ID, 'TLSv1_2', 'ECDHE-ECDSA-AES128-GCM-SHA256'),
    );
  });

  it('per-request churn allows one request per upstream connection', () => {
    const config = bootstrap({ ...TLS13, connectionReuse: 'per-request' });
    expect(cluster(config, 'original_destination')?.typed_extension_protocol_options).toStrictEqual({
      [HTTP_OPTIONS_KEY]: {
        '@type': `type.googleapis.com/${HTTP_OPTIONS_KEY}`,
        common_http_protocol_options: { max_requests_per_connection: 1 },
        explicit_http_config: { http_protocol_options: {} },
      },
    });
    expect(cluster(config, 'local_app')).not.toHaveProperty('typed_extension_protocol_options');
  });

  it('without tls there is no transport socket anywhere', () => {
    const text = renderEnvoyConfig(OPTIONS);
    expect(text).not.toContain('transport_socket');
    expect(text).not.toContain('max_requests_per_connection');
  });
});

describe.each(['http2', 'grpc'] as const)('renderEnvoyConfig with TLS and %s (h2 over the sidecars’ TLS)', (protocol) => {
  const config = parse(renderEnvoyConfig({ ...OPTIONS, protocol, streamsPerConnection: 2000, tls: TLS13 })) as Bootstrap;
  const h2Options = { max_concurrent_streams: 2000 };

  it('answers ALPN h2 on the inbound listener, which keeps its HTTP/2 codec and its strict client check', () => {
    const chain = listener(config, 'inbound')?.filter_chains[0];
    expect(chain?.transport_socket).toStrictEqual({
      name: 'envoy.transport_sockets.tls',
      typed_config: { '@type': DOWNSTREAM_TLS_TYPE, require_client_certificate: true, common_tls_context: { alpn_protocols: ['h2'], ...commonContext(CLIENT_ID, 'TLSv1_3') } },
    });
    expect(chain?.filters[0]).toMatchObject({ typed_config: { codec_type: 'HTTP2', http2_protocol_options: h2Options } });
  });

  it('offers ALPN h2 from the ORIGINAL_DST cluster and takes its codec from the answer (auto_config), streams as the load asks', () => {
    const originalDestination = cluster(config, 'original_destination');
    expect(originalDestination?.transport_socket).toStrictEqual({
      name: 'envoy.transport_sockets.tls',
      typed_config: { '@type': UPSTREAM_TLS_TYPE, common_tls_context: { alpn_protocols: ['h2'], ...commonContext(SERVER_ID, 'TLSv1_3') } },
    });
    expect(originalDestination?.typed_extension_protocol_options).toStrictEqual({
      [HTTP_OPTIONS_KEY]: { '@type': `type.googleapis.com/${HTTP_OPTIONS_KEY}`, auto_config: { http2_protocol_options: h2Options, http_protocol_options: {} } },
    });
  });

  it('keeps h2c to the app (the local app cluster has no TLS)', () => {
    expect(cluster(config, 'local_app')).not.toHaveProperty('transport_socket');
    expect(cluster(config, 'local_app')?.typed_extension_protocol_options).toStrictEqual({
      [HTTP_OPTIONS_KEY]: { '@type': `type.googleapis.com/${HTTP_OPTIONS_KEY}`, explicit_http_config: { http2_protocol_options: h2Options } },
    });
  });

  it('refuses a TLS connection per request (mtls-churn): HTTP/2 multiplexes on kept-alive connections', () => {
    expect(() => renderEnvoyConfig({ ...OPTIONS, protocol, tls: { ...TLS13, connectionReuse: 'per-request' } })).toThrow(/new TLS connection per request for HTTP\/1\.1 only/);
  });
});

describe('renderEnvoyConfig with TLS and a TCP port (TLS wrapping at L4)', () => {
  type TcpChain = { filter_chain_match?: { destination_port: number }; transport_socket?: TransportSocket; filters: { name: string; typed_config: Record<string, unknown> }[] };
  const config = parse(renderEnvoyConfig({ ...OPTIONS, protocol: 'tcp', tcpPorts: [9000], tls: TLS13 })) as Bootstrap;
  const tcpChain = (name: string) => (listener(config, name)?.filter_chains as TcpChain[] | undefined)?.find((chain) => chain.filter_chain_match?.destination_port === 9000);

  it('terminates the TCP port’s TLS inbound as the HTTP chain does (client certificate required, client SPIFFE ID), and connects to the app only after the handshake', () => {
    const chain = tcpChain('inbound');
    expect(chain?.transport_socket).toStrictEqual(listener(config, 'inbound')?.filter_chains.at(-1)?.transport_socket);
    expect(chain?.transport_socket?.typed_config).toMatchObject({ require_client_certificate: true, common_tls_context: commonContext(CLIENT_ID, 'TLSv1_3') });
    expect(chain?.filters[0]?.typed_config).toMatchObject({ cluster: 'local_app_tcp_9000', upstream_connect_mode: 'ON_DOWNSTREAM_TLS_HANDSHAKE', max_early_data_bytes: 0 });
  });

  it('wraps the outbound TCP cluster in TLS with the SVID and the server SPIFFE ID; the outbound listener and the app’s TCP cluster stay plaintext', () => {
    const clusters = config.static_resources.clusters;
    expect(clusters.find((c) => c.name === 'original_destination_tcp')?.transport_socket).toStrictEqual({
      name: 'envoy.transport_sockets.tls',
      typed_config: { '@type': UPSTREAM_TLS_TYPE, common_tls_context: commonContext(SERVER_ID, 'TLSv1_3') },
    });
    expect(clusters.find((c) => c.name === 'local_app_tcp_9000')).not.toHaveProperty('transport_socket');
    expect(tcpChain('outbound')).not.toHaveProperty('transport_socket');
    expect(tcpChain('outbound')?.filters[0]?.typed_config).not.toHaveProperty('upstream_connect_mode');
  });

  it('leaves the plaintext TCP chains as they were', () => {
    const plaintext = parse(renderEnvoyConfig({ ...OPTIONS, protocol: 'tcp', tcpPorts: [9000] })) as Bootstrap;
    expect(JSON.stringify(plaintext)).not.toMatch(/transport_socket|upstream_connect_mode/);
  });
});

describe('renderEnvoyConfig with TLS and HTTP/1.1', () => {
  it('offers no ALPN (the HTTP/1.1 mTLS config is as before)', () => {
    expect(renderEnvoyConfig({ ...OPTIONS, protocol: 'http1', tls: TLS13 })).toBe(renderEnvoyConfig({ ...OPTIONS, tls: TLS13 }));
    expect(renderEnvoyConfig({ ...OPTIONS, tls: TLS13 })).not.toContain('alpn');
  });
});

describe('renderEnvoyConfig for the SDS and stats readers', () => {
  const config = parse(renderEnvoyConfig({ ...OPTIONS, tls: TLS13 })) as Record<string, unknown> & { static_resources: { listeners: { name: string; stat_prefix?: string }[] } };

  it('names the node (file-based SDS needs an id and a cluster) and flushes stats when the admin interface is read', () => {
    expect(config.node).toStrictEqual({ id: 'sidecar', cluster: 'sidecar-bench' });
    expect(config.stats_flush_on_admin).toBe(true);
    expect(config).not.toHaveProperty('stats_flush_interval');
  });

  it('gives each listener its name as stat prefix, so TLS and cx counters do not depend on the address', () => {
    expect(config.static_resources.listeners.map((l) => [l.name, l.stat_prefix])).toStrictEqual([
      ['outbound', 'outbound'],
      ['inbound', 'inbound'],
    ]);
  });

  it('reads SDS files from another directory when asked (validation against a host directory)', () => {
    const text = renderEnvoyConfig({ ...OPTIONS, tls: TLS13 }, { directory: '/tmp/x/tls' });
    expect(text).toContain('path: /tmp/x/tls/svid.yaml');
    expect(text).not.toContain('/etc/sidecar/tls');
  });
});

describe('envoyDriver with tls', () => {
  it('mounts the SVID and bundle as a Kubernetes-style SDS volume owned by uid 1337', () => {
    const svid = { certificatePem: 'CERT', privateKeyPem: 'KEY', serialNumber: '01' };
    expect(envoyDriver.svidSecrets(svid, 'CA')).toStrictEqual(sdsSecretEntries(svid, 'CA', { uid: 1337, gid: 1337 }));
  });

  it('passes the secret files to the sidecar container', () => {
    const secretFiles = [{ target: '/etc/sidecar/tls/svid-key.pem', content: 'KEY', uid: 1337, gid: 1337 }];
    const container = envoyDriver.sidecarContainer('my/envoy:1', { ...OPTIONS, tls: TLS13, secretFiles });
    expect(container.secretFiles).toStrictEqual(secretFiles);
    expect(container.files).toStrictEqual([{ content: renderEnvoyConfig({ ...OPTIONS, tls: TLS13 }), target: '/etc/sidecar/envoy.yaml' }]);
    expect(envoyDriver.sidecarContainer('my/envoy:1', OPTIONS)).not.toHaveProperty('secretFiles');
  });
});
