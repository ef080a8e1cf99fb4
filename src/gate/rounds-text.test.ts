import { describe, expect, it } from 'vitest';
import type { Results } from '../results/schema.js';
import { describeRounds } from './rounds-text.js';

const trial = (topology: string, round: number, state: 'ok' | 'failed' = 'ok') => ({ topology, round, state }) as Results['trials'][number];

describe('describeRounds', () => {
  it('says the rounds an adaptive run took, why it stopped, and the trials of each arm', () => {
    const results = {
      rounds: { min: 6, max: 30, used: 9, stop: 'decided', detail: 'every check decided after 9 rounds' },
      trials: Array.from({ length: 9 }, (_, round) => [trial('app-only', round), trial('sidecar', round, round === 4 ? 'failed' : 'ok')]).flat(),
    } as unknown as Results;
    expect(describeRounds(results)).toBe('Rounds: 9 of 6…30 (adaptive: sequential gate) — every check decided after 9 rounds. Trials per arm: app-only 9, sidecar 8.');
  });

  it('says when the rounds were fixed', () => {
    const results = { trials: [trial('app-only', 0), trial('app-only', 1)] } as unknown as Results;
    expect(describeRounds(results)).toBe("Rounds: 2 (fixed by the scenario's trials). Trials per arm: app-only 2.");
  });
});
