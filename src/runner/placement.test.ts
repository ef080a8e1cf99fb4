import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario } from '../scenario/index.js';
import { resolvePlacement } from './placement.js';

function scenarioWith(cpusets: Scenario['placement']['cpusets']): Scenario {
  const scenario = parseScenario('topologies: [app-only]\nload: { connections: 1, duration: 1s }\n', 'placement.yaml');
  return { ...scenario, placement: { cpusets } };
}

describe('resolvePlacement', () => {
  it('split on [0, 1]: client on "0", server on "1"', () => {
    expect(resolvePlacement(scenarioWith('split'), [0, 1])).toStrictEqual({ clientCpus: '0', serverCpus: '1' });
  });

  it('split on [0, 1, 2, 3]: client on "0,1", server on "2,3"', () => {
    expect(resolvePlacement(scenarioWith('split'), [0, 1, 2, 3])).toStrictEqual({ clientCpus: '0,1', serverCpus: '2,3' });
  });

  it('split on an odd count gives the server the larger half', () => {
    expect(resolvePlacement(scenarioWith('split'), [0, 1, 2])).toStrictEqual({ clientCpus: '0', serverCpus: '1,2' });
  });

  it('split keeps the ids of the online CPUs', () => {
    expect(resolvePlacement(scenarioWith('split'), [2, 5, 6, 9])).toStrictEqual({ clientCpus: '2,5', serverCpus: '6,9' });
  });

  it('split on one CPU does not pin and says why', () => {
    expect(resolvePlacement(scenarioWith('split'), [0])).toStrictEqual({
      note: 'placement.cpusets is "split" but only 1 CPU is online; pods are not pinned',
    });
  });

  it('passes explicit cpusets through, whatever is online', () => {
    expect(resolvePlacement(scenarioWith({ client: '0-1', server: '3' }), [0])).toStrictEqual({ clientCpus: '0-1', serverCpus: '3' });
  });

  it('none pins nothing', () => {
    expect(resolvePlacement(scenarioWith('none'), [0, 1, 2, 3])).toStrictEqual({});
  });
});
