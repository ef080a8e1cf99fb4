import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterDelta, inactivityProblems, parseCounterDump } from './ebpf-counters.js';
import { planAttachments, unifiedCgroupOf } from './ebpf-session.js';
import { EBPF_CONNECT_INTERCEPTION, EBPF_INTERCEPTION, EBPF_SOCKMAP_INTERCEPTION } from './ebpf.js';
import { renderInterceptionRules } from './iptables.js';

const ZERO = parseCounterDump('[]');

describe('eBPF interception strategies', () => {
  it('keep the full iptables table with sockmap alone, and drop only the outbound rules where connect4 replaces them', () => {
    expect(EBPF_SOCKMAP_INTERCEPTION.initRules({ side: 'client', hasSidecar: true })).toBe(renderInterceptionRules());
    for (const strategy of [EBPF_CONNECT_INTERCEPTION, EBPF_INTERCEPTION]) {
      const rules = strategy.initRules({ side: 'client', hasSidecar: true }) ?? '';
      expect(rules).toContain('-A SIDECAR_INBOUND -p tcp -j REDIRECT --to-ports 15006');
      expect(rules).not.toContain('OUTPUT');
      expect(rules).not.toContain('15001');
    }
    expect(EBPF_INTERCEPTION.initRules({ side: 'server', hasSidecar: false })).toBeUndefined();
    expect([EBPF_SOCKMAP_INTERCEPTION, EBPF_CONNECT_INTERCEPTION, EBPF_INTERCEPTION].map((strategy) => strategy.bpf)).toStrictEqual([
      { sockmap: true, connect: false },
      { sockmap: false, connect: true },
      { sockmap: true, connect: true },
    ]);
  });
});

describe('eBPF counters', () => {
  it('parses bpftool’s BTF-formatted dump in index order', () => {
    const dump = JSON.stringify([0, 1, 2, 3, 4, 5, 6, 7, 8].map((key) => ({ key: [key, 0, 0, 0], value: [0], formatted: { key, value: (key + 1) * 10 } })));
    expect(parseCounterDump(dump)).toStrictEqual({
      messagesRedirected: 10,
      bytesRedirected: 20,
      messagesPassed: 30,
      redirectsFailed: 40,
      socketsAdded: 50,
      socketPairs: 60,
      connectsRewritten: 70,
      originalDstAnswered: 80,
      originalDstMissed: 90,
    });
  });

  it('refuses a dump that is not an array of numeric entries', () => {
    expect(() => parseCounterDump('{"error":"bpf obj get: No such file or directory"}')).toThrow(/expected a JSON array/);
    expect(() => parseCounterDump('[{"key":"x"}]')).toThrow(/numeric key/);
  });

  it('takes differences and names each mechanism that did nothing', () => {
    const before = { ...ZERO, messagesRedirected: 5, connectsRewritten: 2, originalDstAnswered: 2 };
    const after = { ...ZERO, messagesRedirected: 5, messagesPassed: 7, connectsRewritten: 10, originalDstAnswered: 2, originalDstMissed: 8 };
    const delta = counterDelta(before, after);
    expect(delta).toMatchObject({ messagesRedirected: 0, messagesPassed: 7, connectsRewritten: 8, originalDstAnswered: 0, originalDstMissed: 8 });
    expect(inactivityProblems({ sockmap: true, connect: true }, delta)).toStrictEqual([
      'sk_msg redirected no message (7 left to TCP, 0 socket pairs)',
      'cgroup/getsockopt answered no SO_ORIGINAL_DST (8 missed)',
    ]);
    expect(inactivityProblems({ sockmap: false, connect: false }, delta)).toStrictEqual([]);
    expect(inactivityProblems({ sockmap: true, connect: true }, { ...ZERO, messagesRedirected: 1, connectsRewritten: 1, originalDstAnswered: 1 })).toStrictEqual([]);
  });
});

describe('planAttachments', () => {
  let proc: string;
  beforeAll(async () => {
    proc = await mkdtemp(join(tmpdir(), 'sb-proc-'));
    const cgroups: Record<number, string> = { 10: 'pause', 11: 'loadgen', 12: 'csidecar', 13: 'app', 14: 'ssidecar' };
    for (const [pid, id] of Object.entries(cgroups)) {
      await mkdir(join(proc, pid));
      await writeFile(join(proc, pid, 'cgroup'), `9:name=systemd:/docker/${id}\n1:cpu:/docker/${id}\n0::/docker/${id}\n`);
    }
    await mkdir(join(proc, '20'));
    await writeFile(join(proc, '20', 'cgroup'), '1:cpu:/docker/v1only\n');
  });
  afterAll(async () => rm(proc, { recursive: true, force: true }));

  const targets = [
    { name: 'pause', role: 'pause', hostPid: 10 },
    { name: 'loadgen', role: 'loadgen', hostPid: 11 },
    { name: 'client-sidecar', role: 'sidecar', hostPid: 12 },
    { name: 'app', role: 'app', hostPid: 13 },
    { name: 'server-sidecar', role: 'sidecar', hostPid: 14 },
  ];

  it('puts sockops on every socket holder, connect4 on the apps and getsockopt on the sidecars, never on pause', async () => {
    const attachments = await planAttachments({ sockmap: true, connect: true }, targets, proc);
    expect(attachments.map((attachment) => `${attachment.kind} ${attachment.container} ${attachment.cgroup}`)).toStrictEqual([
      'sockops loadgen docker/loadgen',
      'connect4 loadgen docker/loadgen',
      'sockops client-sidecar docker/csidecar',
      'getsockopt client-sidecar docker/csidecar',
      'sockops app docker/app',
      'connect4 app docker/app',
      'sockops server-sidecar docker/ssidecar',
      'getsockopt server-sidecar docker/ssidecar',
    ]);
    expect((await planAttachments({ sockmap: true, connect: false }, targets, proc)).every((attachment) => attachment.kind === 'sockops')).toBe(true);
    expect((await planAttachments({ sockmap: false, connect: true }, targets, proc)).map((attachment) => attachment.kind)).toStrictEqual(['sockops-origin', 'connect4', 'getsockopt', 'sockops-origin', 'connect4', 'getsockopt']);
  });

  it('refuses a process outside the cgroup v2 hierarchy', async () => {
    await expect(unifiedCgroupOf(20, proc)).rejects.toThrow(/no cgroup v2 directory/);
  });
});

describe('scenarios/ebpf.yaml', () => {
  it('compares the iptables sidecar with each eBPF mechanism and both, at a fixed open-model rate', async () => {
    const { loadScenario } = await import('../scenario/index.js');
    const scenario = await loadScenario(new URL('../../scenarios/ebpf.yaml', import.meta.url).pathname);
    expect(scenario.topologies).toStrictEqual(['app-only', 'sidecar', 'ebpf-sockmap', 'ebpf-connect', 'ebpf']);
    expect(scenario.load.model).toBe('open');
  });
});
