import { describe, expect, it } from 'vitest';
import { interceptionFor } from '../interception/index.js';
import { hasPeerTls, hasSidecar, MTLS_TOPOLOGIES, TOPOLOGY_CATALOG, TOPOLOGY_DESCRIPTIONS, TOPOLOGY_NAMES } from './catalog.js';

describe('topology catalog', () => {
  it('has one row per name, named after its key', () => {
    expect(Object.keys(TOPOLOGY_CATALOG)).toStrictEqual([...TOPOLOGY_NAMES]);
    for (const name of TOPOLOGY_NAMES) expect(TOPOLOGY_CATALOG[name].name).toBe(name);
  });

  it('says what each pod gets', () => {
    const summary = TOPOLOGY_NAMES.map((name) => {
      const row = TOPOLOGY_CATALOG[name];
      return [name, row.clientSidecar, row.serverSidecar, row.interception, row.peerTls, row.upstreamReuse];
    });
    expect(summary).toStrictEqual([
      ['app-only', false, false, 'none', 'none', 'keep-alive'],
      ['sidecar-inbound', false, true, 'iptables', 'none', 'keep-alive'],
      ['sidecar', true, true, 'iptables', 'none', 'keep-alive'],
      ['mtls', true, true, 'iptables', 'mtls', 'keep-alive'],
      ['mtls-churn', true, true, 'iptables', 'mtls', 'per-request'],
      ['ebpf-sockmap', true, true, 'ebpf-sockmap', 'none', 'keep-alive'],
      ['ebpf-connect', true, true, 'ebpf-connect', 'none', 'keep-alive'],
      ['ebpf', true, true, 'ebpf', 'none', 'keep-alive'],
    ]);
  });

  it('derives the helpers from the rows', () => {
    expect(TOPOLOGY_NAMES.filter(hasSidecar)).toStrictEqual(['sidecar-inbound', 'sidecar', 'mtls', 'mtls-churn', 'ebpf-sockmap', 'ebpf-connect', 'ebpf']);
    expect(TOPOLOGY_NAMES.filter(hasPeerTls)).toStrictEqual([...MTLS_TOPOLOGIES]);
    expect(TOPOLOGY_DESCRIPTIONS.sidecar).toBe(TOPOLOGY_CATALOG.sidecar.description);
  });

  it('intercepts exactly where there is a sidecar, and names a strategy for every row', () => {
    for (const name of TOPOLOGY_NAMES) {
      const row = TOPOLOGY_CATALOG[name];
      const strategy = interceptionFor(row.interception);
      expect(strategy.name).toBe(row.interception);
      expect(strategy.initRules({ side: 'client', hasSidecar: row.clientSidecar }) !== undefined).toBe(row.clientSidecar);
      expect(strategy.initRules({ side: 'server', hasSidecar: row.serverSidecar }) !== undefined).toBe(row.serverSidecar);
    }
  });
});
