/** The scenario fields of the conntrack-saturation fault: host.conntrackMax, app.keepAlive, arms[].conntrack; and what they plan. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { sidecarProxy } from '../proxies/driver.js';
import { haproxyDriver } from '../proxies/haproxy/driver.js';
import { checkHostSettings } from '../runner/host-settings.js';
import { planTopology } from '../runtime/topology.js';
import { parseScenario } from './load-scenario.js';

const BASE = ['arms:', '  - { name: tracked, topology: sidecar }', '  - { name: untracked, topology: sidecar, conntrack: { notrack: sidecar-to-app } }', 'app: { keepAlive: false }', 'host: { conntrackMax: 2048 }', 'load: { connections: 4, duration: 5s }', ''].join('\n');

function message(text: string): string {
  try {
    parseScenario(text, 'conntrack.yaml');
  } catch (error) {
    if (error instanceof BenchError) return [error.message, ...error.details].join('\n');
    throw error;
  }
  throw new Error('accepted');
}

describe('conntrack fault fields', () => {
  it('parses host.conntrackMax, app.keepAlive and an arm’s notrack; absent, they leave everything as before', () => {
    const scenario = parseScenario(BASE, 'conntrack.yaml');
    expect(scenario.host).toEqual({ keepCpusAwake: false, conntrackMax: 2048 });
    expect(scenario.app.keepAlive).toBe(false);
    expect(scenario.arms.map((arm) => [arm.name, arm.notrack])).toEqual([
      ['tracked', undefined],
      ['untracked', 'sidecar-to-app'],
    ]);
    const plain = parseScenario('topologies: [sidecar]\nload: { connections: 4, duration: 5s }\n', 'plain.yaml');
    expect(plain.host).toEqual({ keepCpusAwake: false });
    expect(plain.app).toEqual({ responseBodyBytes: 1024, serviceTimeUs: 0 });
  });

  it('refuses a limit out of range, an unknown scope, and notrack on app-only, each at its field', () => {
    expect(message(BASE.replace('conntrackMax: 2048', 'conntrackMax: 100'))).toMatch(/host\.conntrackMax: expected a whole number from 256 to 1048576/);
    expect(message(BASE.replace('notrack: sidecar-to-app', 'notrack: everything'))).toMatch(/arms\[1\]\.conntrack\.notrack: expected one of sidecar-to-app/);
    expect(message(BASE.replace('{ name: tracked, topology: sidecar }', '{ name: base, topology: app-only, conntrack: { notrack: sidecar-to-app } }'))).toMatch(/arms\[0\]\.conntrack: app-only has no sidecar-to-app hop/);
    expect(message(BASE.replace('keepAlive: false', 'keepAlive: no'))).toMatch(/app\.keepAlive: expected true or false/);
  });

  it('plans the raw-table exemption in the server pod only, after the nat rules, and Connection: close in the app', () => {
    const scenario = parseScenario(BASE, 'conntrack.yaml');
    const options = { scenario, images: { app: 'sb/app:test', loadgen: 'sb/loadgen:test' }, proxy: sidecarProxy(haproxyDriver, 'sb/haproxy:test') };
    const untracked = planTopology('sidecar', { ...options, arm: 'untracked', notrack: 'sidecar-to-app' });
    expect(untracked.server.interceptionRules).toMatch(/^\*nat\n[\s\S]*COMMIT\n\*raw\n-A OUTPUT -o lo -p tcp -m multiport --dports 8080,8081,8082,9000 -j CT --notrack\n-A OUTPUT -o lo -p tcp -m multiport --sports 8080,8081,8082,9000 -j CT --notrack\nCOMMIT\n$/);
    expect(untracked.client.interceptionRules).not.toContain('*raw');
    expect(planTopology('sidecar', { ...options, arm: 'tracked' }).server.interceptionRules).not.toContain('*raw');
    const app = untracked.server.containers.find((container) => container.role === 'app');
    expect(app?.environment?.APP_KEEP_ALIVE).toBe('false');
    const keptAlive = planTopology('sidecar', { ...options, scenario: parseScenario(BASE.replace('app: { keepAlive: false }\n', ''), 'conntrack.yaml') });
    expect(keptAlive.server.containers.find((container) => container.role === 'app')?.environment).not.toHaveProperty('APP_KEEP_ALIVE');
  });
});

describe('checkHostSettings: refused before anything is made', () => {
  function proc(count: number): string {
    const root = mkdtempSync(join(tmpdir(), 'sb-proc-'));
    mkdirSync(join(root, 'sys/net/netfilter'), { recursive: true });
    writeFileSync(join(root, 'sys/net/netfilter/nf_conntrack_max'), '262144\n');
    writeFileSync(join(root, 'sys/net/netfilter/nf_conntrack_count'), `${count}\n`);
    return root;
  }

  it('passes a writable limit with room for the host’s own entries, and names file, field and need otherwise', () => {
    const scenario = parseScenario(BASE, 'scenarios/faults/conntrack.yaml');
    expect(() => checkHostSettings(scenario, proc(100))).not.toThrow();
    expect(() => checkHostSettings(scenario, proc(1500))).toThrow(/^scenarios\/faults\/conntrack\.yaml: host\.conntrackMax: 2048 would leave the host too little room: its own network namespace tracks 1500 connections now, and the limit is global \(expected at least 3000\)$/);
    const missing = mkdtempSync(join(tmpdir(), 'sb-proc-'));
    expect(() => checkHostSettings(scenario, missing)).toThrow(/^scenarios\/faults\/conntrack\.yaml: host\.conntrackMax cannot be applied: .*nf_conntrack_max cannot be read/);
    expect(() => checkHostSettings(parseScenario('topologies: [sidecar]\nload: { connections: 4, duration: 5s }\n', 'plain.yaml'), missing)).not.toThrow();
  });
});
