import { describe, expect, it } from 'vitest';
import { INBOUND_CAPTURE_PORT, OUTBOUND_CAPTURE_PORT, PROXY_GID, PROXY_UID, renderInterceptionRules } from './iptables.js';

describe('renderInterceptionRules', () => {
  it('uses the istio ports and proxy identity by default', () => {
    expect([INBOUND_CAPTURE_PORT, OUTBOUND_CAPTURE_PORT, PROXY_UID, PROXY_GID]).toStrictEqual([15006, 15001, 1337, 1337]);
  });

  it('renders the istio-like nat table exactly', () => {
    expect(renderInterceptionRules()).toBe(
      [
        '*nat',
        ':SIDECAR_INBOUND - [0:0]',
        ':SIDECAR_OUTBOUND - [0:0]',
        '-A PREROUTING -p tcp -j SIDECAR_INBOUND',
        '-A SIDECAR_INBOUND -p tcp -j REDIRECT --to-ports 15006',
        '-A OUTPUT -p tcp -j SIDECAR_OUTBOUND',
        '-A SIDECAR_OUTBOUND -m owner --uid-owner 1337 -j RETURN',
        '-A SIDECAR_OUTBOUND -m owner --gid-owner 1337 -j RETURN',
        '-A SIDECAR_OUTBOUND -o lo -d 127.0.0.0/8 -j RETURN',
        '-A SIDECAR_OUTBOUND -p tcp -j REDIRECT --to-ports 15001',
        'COMMIT',
        '',
      ].join('\n'),
    );
  });

  it('returns excluded inbound ports before the inbound redirect, in the given order', () => {
    const lines = renderInterceptionRules({ excludeInboundPorts: [15020, 15021] }).split('\n');
    expect(lines.slice(3, 7)).toStrictEqual([
      '-A PREROUTING -p tcp -j SIDECAR_INBOUND',
      '-A SIDECAR_INBOUND -p tcp --dport 15020 -j RETURN',
      '-A SIDECAR_INBOUND -p tcp --dport 15021 -j RETURN',
      '-A SIDECAR_INBOUND -p tcp -j REDIRECT --to-ports 15006',
    ]);
    expect(lines).toHaveLength(14);
  });

  it('exempts the proxy uid/gid and loopback-to-loopback before the outbound redirect', () => {
    const lines = renderInterceptionRules().split('\n');
    const redirect = lines.indexOf('-A SIDECAR_OUTBOUND -p tcp -j REDIRECT --to-ports 15001');
    for (const exemption of [
      '-A SIDECAR_OUTBOUND -m owner --uid-owner 1337 -j RETURN',
      '-A SIDECAR_OUTBOUND -m owner --gid-owner 1337 -j RETURN',
      '-A SIDECAR_OUTBOUND -o lo -d 127.0.0.0/8 -j RETURN',
    ]) {
      expect(lines.indexOf(exemption)).toBeGreaterThan(lines.indexOf('-A OUTPUT -p tcp -j SIDECAR_OUTBOUND'));
      expect(lines.indexOf(exemption)).toBeLessThan(redirect);
    }
  });

  it('takes other ports and proxy identity', () => {
    const rules = renderInterceptionRules({ inboundPort: 9006, outboundPort: 9001, proxyUid: 101, proxyGid: 102 });
    expect(rules).toContain('-A SIDECAR_INBOUND -p tcp -j REDIRECT --to-ports 9006\n');
    expect(rules).toContain('-A SIDECAR_OUTBOUND -p tcp -j REDIRECT --to-ports 9001\n');
    expect(rules).toContain('-A SIDECAR_OUTBOUND -m owner --uid-owner 101 -j RETURN\n');
    expect(rules).toContain('-A SIDECAR_OUTBOUND -m owner --gid-owner 102 -j RETURN\n');
    expect(rules).not.toContain('1337');
    expect(rules).not.toContain('1500');
  });
});
