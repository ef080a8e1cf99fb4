import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

// 10 trials × 4 topologies × 50 min: a typo of "50s" that would hold a runner for 33 hours.
const ABSURD = `name: absurd
topologies: [app-only, sidecar-inbound, sidecar, mtls]
load:
  connections: 8
  warmup: 2s
  duration: 50m
trials: 10
warmupRounds: 0
`;

describe('a run planned over the cap', () => {
  it('is refused before anything starts, with the arithmetic, exit 2; --max-duration sets the cap', async () => {
    const work = await mkdtemp(join(tmpdir(), 'sidecar-bench-cap-'));
    const reportsDir = join(work, 'reports');
    await writeFile(join(work, 'absurd.yaml'), ABSURD);
    const refused = await runCli(['run', join(work, 'absurd.yaml'), '--reports-dir', reportsDir]);
    expect(refused.exitCode, refused.all).toBe(2);
    expect(refused.all).toContain('the run would take 33 h 21 min, over the 2 h cap; nothing was started.');
    expect(refused.all).toContain('10 rounds × 4 topologies × (2 s warm-up + 50 min measured + 500 ms per-trial overhead)');
    expect(refused.all).toContain('--max-duration 34h');
    // Nothing started: no Docker contact (no image build or stall probe line), no report folder.
    expect(refused.all).not.toMatch(/Probing|image|Starting/i);
    expect(existsSync(reportsDir)).toBe(false);

    // The quickstart (about 2 min) fits the default cap but not a 1 min one.
    const lowered = await runCli(['run', 'scenarios/quickstart.yaml', '--max-duration', '1m', '--reports-dir', reportsDir]);
    expect(lowered.exitCode, lowered.all).toBe(2);
    expect(lowered.all).toContain('the run would take 2 min 20 s, over the 1 min cap; nothing was started.');
    expect(existsSync(reportsDir)).toBe(false);

    const badFlag = await runCli(['run', join(work, 'absurd.yaml'), '--max-duration', '2', '--reports-dir', reportsDir]);
    expect(badFlag.exitCode).toBe(2);
    expect(badFlag.all).toContain('--max-duration: expected a positive duration with a unit, like 90m or 3h; got "2"');
  });
});
