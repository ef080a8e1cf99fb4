import { describe, expect, it } from 'vitest';
import { renderEbpf } from '../report/html-ebpf.js';
import { makeFixtureResults } from '../report/fixtures.js';
import { renderTerminalEbpf } from '../report/terminal-ebpf.js';
import type { BpfCounters, Results, TrialRecord } from '../results/schema.js';
import { summarizeResults } from './summarize.js';
import { estimateMedian } from './statistics.js';

const COUNTERS: BpfCounters = {
  messagesRedirected: 600, bytesRedirected: 90_000, messagesPassed: 0, redirectsFailed: 1, socketsAdded: 96, socketPairs: 48, connectsRewritten: 16, originalDstAnswered: 16, originalDstMissed: 0,
};

/**
 * The fixture's sidecar-inbound trials relabelled as an "ebpf" arm: one proxy hop fewer than
 * sidecar, so a saving that the paired-by-round analysis must find, round by round.
 */
function withEbpfArm(): Results {
  const results = makeFixtureResults();
  const inbound = results.topologies.find((topology) => topology.name === 'sidecar-inbound');
  if (!inbound) throw new Error('fixture without sidecar-inbound');
  const ebpfTrials = results.trials
    .filter((trial) => trial.topology === 'sidecar-inbound')
    .map((trial): TrialRecord => (trial.state === 'ok' ? { ...trial, topology: 'ebpf', bpf: { counters: COUNTERS } } : { ...trial, topology: 'ebpf' }));
  const inactive: TrialRecord = { state: 'failed', topology: 'ebpf', round: 6, startedAt: '2025-11-26T10:00:00.000Z', error: { code: 'SB_BPF_INACTIVE', message: 'idle' }, bpf: { counters: { ...COUNTERS, messagesRedirected: 0 } } };
  return {
    ...results,
    topologies: [...results.topologies, { ...inbound, name: 'ebpf', interception: 'ebpf', bpf: { sockmap: true, connect: true, attachments: [] } }],
    trials: [...results.trials, ...ebpfTrials, inactive],
  };
}

describe('summarizeEbpf', () => {
  const results = withEbpfArm();
  const summary = summarizeResults(results);
  const ebpf = summary.ebpf;

  it('compares every eBPF arm with the iptables sidecar, round by round', () => {
    expect(ebpf?.reference).toBe('sidecar');
    expect(ebpf?.arms.map((arm) => [arm.arm, arm.sockmap, arm.connect])).toStrictEqual([['ebpf', true, true]]);
    const trialsOf = (name: string) => summary.topologies.find((topology) => topology.topology === name)?.trials ?? [];
    const sidecarP50 = new Map(trialsOf('sidecar').map((trial) => [trial.round, trial.latency.p50Us]));
    const ratios = trialsOf('ebpf').map((trial) => trial.latency.p50Us / (sidecarP50.get(trial.round) as number) - 1);
    const arm = ebpf?.arms[0];
    expect(arm?.relativeP50.n).toBe(6);
    expect(arm?.relativeP50.median).toBeCloseTo(estimateMedian(ratios).median, 12);
    expect(arm?.latencyDelta.p50Us.median).toBeLessThan(0);
    expect(arm?.sidecarVcpuPer1kRps.delta.median).toBeLessThan(0);
  });

  it('sums the counters over the ok trials and counts the trials whose programs were idle', () => {
    const arm = ebpf?.arms[0];
    expect(arm?.counters.messagesRedirected).toBe(6 * 600);
    expect(arm?.counters.connectsRewritten).toBe(6 * 16);
    expect(arm?.inactiveTrials).toBe(1);
    const responses = results.trials.reduce((sum, trial) => sum + (trial.state === 'ok' && trial.topology === 'ebpf' ? trial.load.responses : 0), 0);
    expect(arm?.redirectedPerResponse).toBeCloseTo(3600 / responses, 12);
  });

  it('is absent without an eBPF arm or without the sidecar to compare with', () => {
    expect(summarizeResults(makeFixtureResults()).ebpf).toBeUndefined();
    const withoutSidecar = { ...results, trials: results.trials.filter((trial) => trial.topology !== 'sidecar') };
    expect(summarizeResults(withoutSidecar).ebpf).toBeUndefined();
  });

  it('is shown in the report and the terminal with its counters', () => {
    const html = renderEbpf(ebpf);
    expect(html).toContain('<section id="ebpf">');
    expect(html).toContain('<td class="num">3600</td>');
    expect(html).toContain('sockops + sk_msg, connect4 + getsockopt');
    const lines = renderTerminalEbpf(ebpf as NonNullable<typeof ebpf>);
    expect(lines[0]).toContain('eBPF vs sidecar');
    expect(lines.join('\n')).toContain('3600 messages redirected');
    expect(lines.join('\n')).toContain('1 trial(s) failed: programs idle');
  });
});
