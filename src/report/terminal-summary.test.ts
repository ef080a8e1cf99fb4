import { describe, expect, it } from 'vitest';
import { makeFixture } from './fixtures.js';
import { formatMs, formatNumber, formatSignedMs } from './format.js';
import { renderTerminalSummary } from './terminal-summary.js';

const ANSI = /\u001b\[/;

describe('renderTerminalSummary', () => {
  const { summary } = makeFixture();
  const byName = (name: string) => summary.topologies.find((t) => t.topology === name)!;

  it('has a row per topology with latency, overhead, errors and sidecar cost', () => {
    const text = renderTerminalSummary(summary);
    const line = (name: string) => text.split('\n').find((row) => row.startsWith(`│ ${name} `)) ?? '';
    const sidecar = byName('sidecar');
    const sidecars = sidecar.resources.filter((r) => r.role === 'sidecar');
    expect(line('sidecar')).toContain(formatMs(sidecar.latency.p50Us));
    expect(line('sidecar')).toContain(formatMs(sidecar.latency.p999Us));
    expect(line('sidecar')).toContain(formatSignedMs(sidecar.overheadVsBaselineUs?.p50Us));
    expect(line('sidecar')).toContain(formatSignedMs(sidecar.overheadVsBaselineUs?.p99Us));
    expect(line('sidecar')).toContain(formatNumber(sidecars.reduce((sum, r) => sum + r.vcpuPer1kRps, 0), 3));
    expect(line('sidecar')).toMatch(/│ +3 \(<0\.01%\) │/);
    expect(line('app-only')).toContain('baseline');
    expect(line('app-only')).toMatch(/— │ +— │$/);
    expect(line('sidecar-inbound')).toContain(formatNumber(byName('sidecar-inbound').rps));
  });

  it('has no colour unless asked, and colour when asked', () => {
    expect(renderTerminalSummary(summary)).not.toMatch(ANSI);
    expect(renderTerminalSummary(summary, { color: false })).not.toMatch(ANSI);
    expect(renderTerminalSummary(summary, { color: true })).toMatch(ANSI);
  });

  it('marks failed trials', () => {
    const failed = makeFixture({ withFailedTrial: true }).summary;
    expect(renderTerminalSummary(failed)).toContain('sidecar (1 failed)');
  });
});
