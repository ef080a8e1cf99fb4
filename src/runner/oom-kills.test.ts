import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { ResourceSample } from '../sampling/types.js';
import { describeOomKill, findOomKills } from './oom-kills.js';

/** An engine that knows a few containers' State; any other name is "no such container". */
function engine(states: Record<string, { OOMKilled: boolean; ExitCode: number }>): Dockerode {
  return {
    getContainer: (ref: string) => ({
      inspect: async () => {
        const state = states[ref];
        if (!state) throw new Error(`(HTTP code 404) no such container - ${ref}`);
        return { State: state };
      },
    }),
  } as unknown as Dockerode;
}

const sample = (epochMs: number, oomKills: number | undefined): ResourceSample => ({
  epochMs,
  containers: { 'pod-sidecar': { processes: [], cgroup: oomKills === undefined ? {} : { oomKills } } },
});

describe('findOomKills', () => {
  it('reports only containers Docker marks OOMKilled, with the highest cgroup oom_kill count sampled', async () => {
    const docker = engine({ 'id-sidecar': { OOMKilled: true, ExitCode: 137 }, 'id-app': { OOMKilled: false, ExitCode: 0 } });
    const kills = await findOomKills(
      docker,
      [
        { ref: 'id-app', name: 'pod-app', role: 'app' },
        { ref: 'id-sidecar', name: 'pod-sidecar', role: 'sidecar', memoryLimitBytes: 16 * 1024 ** 2 },
        { ref: 'never-created', name: 'pod-loadgen', role: 'loadgen' },
      ],
      [sample(1, 0), sample(2, 1), sample(3, undefined)],
    );
    expect(kills).toStrictEqual([{ container: 'pod-sidecar', role: 'sidecar', exitCode: 137, memoryLimitBytes: 16_777_216, cgroupOomKills: 1 }]);
    expect(describeOomKill(kills[0]!)).toBe('sidecar container pod-sidecar OOMKilled (exit code 137, memory limit 16Mi, cgroup oom_kill 1)');
  });

  it('says so when no sample read the cgroup counter before the container went', async () => {
    const kills = await findOomKills(engine({ x: { OOMKilled: true, ExitCode: 137 } }), [{ ref: 'x', name: 'pod-sidecar', role: 'sidecar' }], [sample(1, undefined)]);
    expect(kills).toStrictEqual([{ container: 'pod-sidecar', role: 'sidecar', exitCode: 137 }]);
    expect(describeOomKill(kills[0]!)).toBe('sidecar container pod-sidecar OOMKilled (exit code 137, cgroup oom_kill not read: the cgroup went with the container before a sample)');
  });

  it('finds nothing when no container was OOMKilled', async () => {
    expect(await findOomKills(engine({ a: { OOMKilled: false, ExitCode: 1 } }), [{ ref: 'a', name: 'a', role: 'app' }])).toStrictEqual([]);
  });
});
