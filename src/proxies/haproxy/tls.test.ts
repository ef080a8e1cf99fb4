import { describe, expect, it } from 'vitest';
import type { SidecarOptions } from '../driver.js';
import type { SidecarTls } from '../sidecar-tls.js';
import { renderHaproxyConfig } from './config.js';
import { haproxyDriver } from './driver.js';
import { haproxySvidSecrets, renderSpiffeLua } from './tls.js';

const OPTIONS: SidecarOptions = { workerThreads: 2, appPort: 8080, inboundPort: 15006, outboundPort: 15001 };
const CLIENT_ID = 'spiffe://cluster.local/ns/bench/sa/loadgen';
const SERVER_ID = 'spiffe://cluster.local/ns/bench/sa/app';

const TLS13: SidecarTls = { version: 'TLSv1.3', allowedClientIds: [CLIENT_ID], allowedServerIds: [SERVER_ID], connectionReuse: 'keep-alive', sessionResumption: true };
const TLS13_SUITE: SidecarTls = { ...TLS13, ciphersuites: 'TLS_AES_128_GCM_SHA256' };
const TLS12_CIPHER: SidecarTls = { ...TLS13, version: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' };

/** The plaintext config: adding TLS must not change it. */
const PLAINTEXT = `global
  nbthread 2
  # The runtime API: request counters per hop (the path check), TLS counters and SVID rotation.
  stats socket /tmp/sidecar-admin.sock mode 600 level admin
  # Errors only reach stdout (dontlog-normal below): failed requests' termination states and TLS
  # failures become evidence for the findings, and successful requests cost nothing to log.
  log stdout format raw local0 info
  # Two sockets per proxied connection must fit under the engine's open-file limit (20000 here;
  # HAProxy refuses to start when it cannot raise its limit that far).
  maxconn 8000

defaults
  mode http
  log global
  option httplog
  option dontlog-normal
  timeout connect 5s
  timeout client 130s
  # The route timeout: past it, HAProxy answers 504 (termination state sH).
  timeout server 130000ms
  timeout http-keep-alive 130s
  # Keep upstream connections open and shared, as a mesh proxy's connection pool does.
  http-reuse always

frontend inbound
  bind :15006
  default_backend local_app

frontend outbound
  bind :15001
  default_backend original_destination

backend local_app
  server app 127.0.0.1:8080
  http-response set-header x-envoy-upstream-service-time %Tr
  http-response add-header x-sidecar-bench-hop inbound

backend original_destination
  # 0.0.0.0:0 means: connect to the destination the client asked for (SO_ORIGINAL_DST).
  server original 0.0.0.0:0
  http-response set-header x-envoy-upstream-service-time %Tr
  http-response add-header x-sidecar-bench-hop outbound
`;

const TLS_WORDS = ['ssl', 'lua', 'spiffe', 'http-server-close', 'http-reuse never', 'deny'];

/** The lines of one section ("global", "frontend inbound", …), trimmed, up to the next blank line. */
function section(config: string, header: string): string[] {
  const start = `\n${config}`.indexOf(`\n${header}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  return (config.slice(start).split('\n\n')[0] ?? '').split('\n').slice(1).map((line) => line.trim()).filter((line) => line !== '');
}

describe('renderHaproxyConfig without tls', () => {
  it('is exactly the plaintext config', () => {
    expect(renderHaproxyConfig(OPTIONS)).toBe(PLAINTEXT);
  });

  it('has none of the TLS lines', () => {
    const config = renderHaproxyConfig(OPTIONS);
    for (const word of TLS_WORDS) expect(config).not.toContain(word);
  });
});

describe('renderHaproxyConfig with TLS 1.3 and a ciphersuite', () => {
  const config = renderHaproxyConfig({ ...OPTIONS, tls: TLS13_SUITE });

  it('opens the admin socket, loads the Lua checks and logs errors to stdout (global)', () => {
    expect(section(config, 'global')).toStrictEqual([
      'nbthread 2',
      '# The runtime API: request counters per hop (the path check), TLS counters and SVID rotation.',
      'stats socket /tmp/sidecar-admin.sock mode 600 level admin',
      'lua-load /etc/sidecar/spiffe.lua',
      'tune.ssl.default-dh-param 2048',
      '# Errors only reach stdout (dontlog-normal below): failed requests\' termination states and TLS',
      '# failures become evidence for the findings, and successful requests cost nothing to log.',
      'log stdout format raw local0 info',
      "# Two sockets per proxied connection must fit under the engine's open-file limit (20000 here;",
      '# HAProxy refuses to start when it cannot raise its limit that far).',
      'maxconn 8000',
    ]);
  });

  it('logs only what is not normal (defaults)', () => {
    expect(section(config, 'defaults').slice(0, 4)).toStrictEqual(['mode http', 'log global', 'option httplog', 'option dontlog-normal']);
    expect(section(config, 'defaults')).toContain('http-reuse always');
  });

  it('terminates TLS inbound with verify required, pinned to TLS 1.3 and the suite, then checks the SPIFFE ID once per connection', () => {
    expect(section(config, 'frontend inbound')).toStrictEqual([
      'bind :15006 ssl crt /etc/sidecar/tls/svid.pem ca-file /etc/sidecar/tls/bundle.pem verify required ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.3 ciphersuites TLS_AES_128_GCM_SHA256',
      'http-request set-var(sess.spiffe_client_ok) lua.spiffe_client_allowed unless { var(sess.spiffe_client_ok) -m found }',
      'http-request deny deny_status 403 unless { var(sess.spiffe_client_ok) -m bool }',
      'default_backend local_app',
    ]);
  });

  it('keeps the outbound listener plaintext (the app talks to it)', () => {
    expect(section(config, 'frontend outbound')).toStrictEqual(['bind :15001', 'default_backend original_destination']);
  });

  it('originates TLS outbound with the SVID and refuses a wrong server identity with 502, connections kept alive', () => {
    expect(section(config, 'backend original_destination')).toStrictEqual([
      '# 0.0.0.0:0 means: connect to the destination the client asked for (SO_ORIGINAL_DST).',
      'server original 0.0.0.0:0 ssl crt /etc/sidecar/tls/svid.pem ca-file /etc/sidecar/tls/bundle.pem verify required ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.3 ciphersuites TLS_AES_128_GCM_SHA256',
      'http-response deny deny_status 502 unless { lua.spiffe_server_allowed -m bool }',
      'http-response set-header x-envoy-upstream-service-time %Tr',
      'http-response add-header x-sidecar-bench-hop outbound',
    ]);
    expect(config).not.toContain('http-server-close');
    expect(config).not.toContain('http-reuse never');
  });

  it('leaves the local app backend plaintext', () => {
    expect(section(config, 'backend local_app')).toStrictEqual([
      'server app 127.0.0.1:8080',
      'http-response set-header x-envoy-upstream-service-time %Tr',
      'http-response add-header x-sidecar-bench-hop inbound',
    ]);
  });
});

describe('renderHaproxyConfig with other TLS settings', () => {
  it('TLS 1.3 without a suite names no cipher option', () => {
    const config = renderHaproxyConfig({ ...OPTIONS, tls: TLS13 });
    const tlsOptions = 'ssl crt /etc/sidecar/tls/svid.pem ca-file /etc/sidecar/tls/bundle.pem verify required ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.3';
    expect(section(config, 'frontend inbound')[0]).toBe(`bind :15006 ${tlsOptions}`);
    expect(section(config, 'backend original_destination')[1]).toBe(`server original 0.0.0.0:0 ${tlsOptions}`);
    expect(config).not.toContain('cipher');
  });

  it('TLS 1.2 takes the OpenSSL cipher list as "ciphers" (not "ciphersuites")', () => {
    const config = renderHaproxyConfig({ ...OPTIONS, tls: TLS12_CIPHER });
    const tlsOptions =
      'ssl crt /etc/sidecar/tls/svid.pem ca-file /etc/sidecar/tls/bundle.pem verify required ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.2 ciphers ECDHE-ECDSA-AES128-GCM-SHA256';
    expect(section(config, 'frontend inbound')[0]).toBe(`bind :15006 ${tlsOptions}`);
    expect(section(config, 'backend original_destination')[1]).toBe(`server original 0.0.0.0:0 ${tlsOptions}`);
    expect(config).not.toContain('ciphersuites');
  });

  it('a suite given for TLS 1.2, or a cipher list for TLS 1.3, is not written', () => {
    expect(renderHaproxyConfig({ ...OPTIONS, tls: { ...TLS13, version: 'TLSv1.2', ciphersuites: 'TLS_AES_128_GCM_SHA256' } })).not.toContain('cipher');
    expect(renderHaproxyConfig({ ...OPTIONS, tls: { ...TLS13, ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' } })).not.toContain('cipher');
  });

  it('per-request reuse closes every server connection after its response (handshake churn)', () => {
    const config = renderHaproxyConfig({ ...OPTIONS, tls: { ...TLS13, connectionReuse: 'per-request' } });
    expect(section(config, 'backend original_destination').slice(2, 5)).toStrictEqual([
      'http-response deny deny_status 502 unless { lua.spiffe_server_allowed -m bool }',
      'option http-server-close',
      'http-reuse never',
    ]);
    expect(config.match(/http-server-close/g)).toHaveLength(1);
    expect(config.match(/http-reuse never/g)).toHaveLength(1);
    // The defaults still pool connections; only the outbound backend churns.
    expect(section(config, 'defaults')).toContain('http-reuse always');
  });
});

describe.each(['http2', 'grpc'] as const)('renderHaproxyConfig with TLS and %s (h2 over the sidecars’ TLS)', (protocol) => {
  const config = renderHaproxyConfig({ ...OPTIONS, protocol, tls: TLS13 });
  const TLS_OPTIONS = 'ssl crt /etc/sidecar/tls/svid.pem ca-file /etc/sidecar/tls/bundle.pem verify required ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.3';

  it('terminates TLS inbound answering ALPN h2, and speaks HTTP/2 there whatever the client offered (no HTTP/1.1 fallback)', () => {
    expect(section(config, 'frontend inbound')[0]).toBe(`bind :15006 ${TLS_OPTIONS} alpn h2 proto h2`);
    // The identity check is unchanged: strict mode holds for h2 as for HTTP/1.1.
    expect(section(config, 'frontend inbound').slice(1, 3)).toStrictEqual([
      'http-request set-var(sess.spiffe_client_ok) lua.spiffe_client_allowed unless { var(sess.spiffe_client_ok) -m found }',
      'http-request deny deny_status 403 unless { var(sess.spiffe_client_ok) -m bool }',
    ]);
  });

  it('originates TLS outbound offering ALPN h2, its HTTP/2 mux chosen by the negotiated protocol (no proto forced on the TLS leg)', () => {
    expect(section(config, 'backend original_destination').slice(1, 3)).toStrictEqual([`server original 0.0.0.0:0 ${TLS_OPTIONS} alpn h2`, 'http-response deny deny_status 502 unless { lua.spiffe_server_allowed -m bool }']);
  });

  it('keeps h2c on the plaintext legs: the app talks to the outbound bind, the inbound backend to the app', () => {
    expect(section(config, 'frontend outbound')[0]).toBe('bind :15001 proto h2');
    expect(section(config, 'backend local_app')[0]).toBe('server app 127.0.0.1:8080 proto h2');
  });

  it('refuses a TLS connection per request (mtls-churn): HTTP/2 multiplexes on kept-alive connections', () => {
    expect(() => renderHaproxyConfig({ ...OPTIONS, protocol, tls: { ...TLS13, connectionReuse: 'per-request' } })).toThrow(/new TLS connection per request for HTTP\/1\.1 only/);
  });
});

describe('renderHaproxyConfig with TLS and a TCP port (TLS wrapping at L4)', () => {
  const config = renderHaproxyConfig({ ...OPTIONS, protocol: 'tcp', tcpPorts: [9000], tls: TLS13 });
  const TLS_OPTIONS = 'ssl crt /etc/sidecar/tls/svid.pem ca-file /etc/sidecar/tls/bundle.pem verify required ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.3';

  it('terminates TLS on the mode tcp inbound frontend and checks the client’s SPIFFE ID per connection before any backend (http-request rules do not run there)', () => {
    expect(section(config, 'frontend inbound')).toStrictEqual([
      `bind :15006 ${TLS_OPTIONS}`,
      'mode tcp',
      'tcp-request content reject unless { lua.spiffe_client_allowed -m bool }',
      'use_backend local_app_tcp_9000 if { dst_port 9000 }',
      'default_backend local_app',
    ]);
  });

  it('originates TLS from the TCP backend with the SVID and checks the server’s SPIFFE ID on its first bytes back', () => {
    expect(section(config, 'backend original_destination_tcp')).toStrictEqual(['mode tcp', `server original 0.0.0.0:0 ${TLS_OPTIONS}`, 'tcp-response content reject unless { lua.spiffe_server_allowed -m bool }']);
    // The HTTP backend keeps its own TLS and check; the app's TCP backend stays plaintext inside the pod.
    expect(section(config, 'backend original_destination')[1]).toBe(`server original 0.0.0.0:0 ${TLS_OPTIONS}`);
    expect(section(config, 'backend local_app_tcp_9000')).toStrictEqual(['mode tcp', 'server app 127.0.0.1:9000']);
  });

  it('refuses a TLS connection per request (TCP keeps its connections)', () => {
    expect(() => renderHaproxyConfig({ ...OPTIONS, protocol: 'tcp', tcpPorts: [9000], tls: { ...TLS13, connectionReuse: 'per-request' } })).toThrow(/new TLS connection per request for HTTP\/1\.1 only/);
  });
});

describe('renderHaproxyConfig with TLS and HTTP/1.1', () => {
  it('offers no ALPN (the HTTP/1.1 mTLS config is as before)', () => {
    expect(renderHaproxyConfig({ ...OPTIONS, protocol: 'http1', tls: TLS13 })).toBe(renderHaproxyConfig({ ...OPTIONS, tls: TLS13 }));
    expect(renderHaproxyConfig({ ...OPTIONS, tls: TLS13 })).not.toContain('alpn');
  });
});

describe('haproxyDriver with tls', () => {
  it('mounts the Lua checks next to the config and passes the secret files through', () => {
    const secretFiles = [{ target: '/etc/sidecar/tls/svid.pem', content: 'PEM', uid: 1337, gid: 1337 }];
    const container = haproxyDriver.sidecarContainer('sb/haproxy:test', { ...OPTIONS, tls: TLS13, secretFiles });
    expect(container.files).toStrictEqual([
      { content: renderHaproxyConfig({ ...OPTIONS, tls: TLS13, secretFiles }), target: '/etc/sidecar/haproxy.cfg' },
      { content: renderSpiffeLua(TLS13), target: '/etc/sidecar/spiffe.lua' },
    ]);
    expect(container.secretFiles).toStrictEqual(secretFiles);
  });
});

describe('renderSpiffeLua', () => {
  it('has both allowed-ID tables with the exact IDs, JSON-quoted', () => {
    const lua = renderSpiffeLua(TLS13).split('\n');
    expect(lua).toContain('local allowed_clients = { ["spiffe://cluster.local/ns/bench/sa/loadgen"] = true }');
    expect(lua).toContain('local allowed_servers = { ["spiffe://cluster.local/ns/bench/sa/app"] = true }');
  });

  it('lists several IDs and quotes characters Lua would otherwise read', () => {
    const lua = renderSpiffeLua({ ...TLS13, allowedClientIds: [CLIENT_ID, 'spiffe://td/"x"\\y'], allowedServerIds: [] }).split('\n');
    expect(lua).toContain('local allowed_clients = { ["spiffe://cluster.local/ns/bench/sa/loadgen"] = true, ["spiffe://td/\\"x\\"\\\\y"] = true }');
    expect(lua).toContain('local allowed_servers = {  }');
  });

  it('registers both fetches the config calls, on the matching peer certificate', () => {
    const lua = renderSpiffeLua(TLS13);
    expect(lua).toContain('core.register_fetches("spiffe_client_allowed", function(txn)\n  return exactly_one_allowed(txn.f:ssl_c_der(), allowed_clients)\nend)');
    expect(lua).toContain('core.register_fetches("spiffe_server_allowed", function(txn)\n  return exactly_one_allowed(txn.f:ssl_s_der(), allowed_servers)\nend)');
    expect(lua.match(/core\.register_fetches\(/g)).toHaveLength(2);
    // The config's lua.<name> fetches are the registered names.
    const config = renderHaproxyConfig({ ...OPTIONS, tls: TLS13 });
    expect(config).toContain('lua.spiffe_client_allowed');
    expect(config).toContain('lua.spiffe_server_allowed');
  });

  it('searches for a URI SAN tag (0x86 = \\134) followed by spiffe://', () => {
    expect(renderSpiffeLua(TLS13)).toContain('string.find(der, "\\134[\\0-\\127]spiffe://", from)');
  });
});

describe('haproxySvidSecrets', () => {
  const svid = { certificatePem: '-----BEGIN CERTIFICATE-----\nC\n-----END CERTIFICATE-----\n', privateKeyPem: '-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n', serialNumber: '0a' };
  it('gives HAProxy one file with the certificate then the key, and the bundle, owned by uid/gid 1337', () => {
    expect(haproxySvidSecrets(svid, '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----')).toStrictEqual([
      { target: '/etc/sidecar/tls/svid.pem', content: `${svid.certificatePem}${svid.privateKeyPem}`, uid: 1337, gid: 1337 },
      { target: '/etc/sidecar/tls/bundle.pem', content: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n', uid: 1337, gid: 1337 },
    ]);
  });
});
