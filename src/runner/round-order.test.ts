import { describe, expect, it } from 'vitest';
import { roundOrder } from './run-trials.js';

describe('the order of a round’s arms (crossover)', () => {
  it('runs even measured rounds forward and odd ones reversed; warm-up rounds forward', () => {
    const arms = ['app-only', 'sidecar-baseline', 'sidecar'];
    expect([-1, 0, 1, 2, 3].map((round) => roundOrder(arms, round).join(' '))).toEqual([
      'app-only sidecar-baseline sidecar',
      'app-only sidecar-baseline sidecar',
      'sidecar sidecar-baseline app-only',
      'app-only sidecar-baseline sidecar',
      'sidecar sidecar-baseline app-only',
    ]);
    expect(arms).toEqual(['app-only', 'sidecar-baseline', 'sidecar']);
  });

  it('puts every arm first as often as last over each pair of rounds', () => {
    const arms = ['a', 'b'];
    const firsts = [0, 1, 2, 3].map((round) => roundOrder(arms, round)[0]);
    expect(firsts.filter((arm) => arm === 'a')).toHaveLength(2);
    expect(firsts.filter((arm) => arm === 'b')).toHaveLength(2);
  });
});
