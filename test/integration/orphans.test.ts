import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cleanBeforeRun } from '../../src/cli/clean-command.js';
import type { Progress } from '../../src/progress.js';
import { currentRunOwner } from '../../src/runtime/run-owner.js';
import { RunResources } from '../../src/runtime/run-resources.js';
import { findRunResources } from '../../src/runtime/orphans.js';
import { dockerForTests } from '../support/docker.js';

const dockerode = await dockerForTests();

function recordingProgress(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    start: (title) => ({ update: () => {}, succeed: (detail) => lines.push(`✔ ${detail ?? title}`), fail: (detail) => lines.push(`✖ ${detail ?? title}`) }),
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`! ${message}`),
  };
}

describe.skipIf(!dockerode)('resources of killed runs, before a run', () => {
  it('are reported with --no-clean and removed otherwise; a live run’s are never touched', async () => {
    const docker = dockerode as Dockerode;
    // A process that has exited: its pid, with a start time no live process can have.
    const exited = execa('true');
    await exited;
    const deadOwner = { ...currentRunOwner(), pid: exited.pid as number, startTicks: 1 };
    const tag = randomBytes(3).toString('hex');
    const dead = new RunResources(docker, `itest-dead-${tag}`, deadOwner);
    const live = new RunResources(docker, `itest-live-${tag}`);
    await dead.createNetwork(`sb-itest-dead-${tag}`);
    await live.createNetwork(`sb-itest-live-${tag}`);
    const mine = async () => (await findRunResources(docker)).filter((run) => run.runId.endsWith(tag)).map((run) => [run.runId, run.status.state]);
    try {
      expect(await mine()).toEqual([
        [`itest-dead-${tag}`, 'gone'],
        [`itest-live-${tag}`, 'alive'],
      ]);

      const reported = recordingProgress();
      await cleanBeforeRun(false, reported);
      expect(reported.lines.filter((line) => line.includes(tag))).toEqual([
        `! left in place (--no-clean): run itest-dead-${tag}: 0 containers, 1 network; its process (pid ${deadOwner.pid}) has exited; \`sidecar-bench clean\` removes them`,
      ]);
      expect(await mine()).toHaveLength(2);

      const cleaned = recordingProgress();
      await cleanBeforeRun(true, cleaned);
      expect(cleaned.lines.some((line) => line.startsWith('✔ removed what killed runs left behind') && line.includes(`itest-dead-${tag}`))).toBe(true);
      expect(cleaned.lines.join('\n')).not.toContain(`itest-live-${tag}`);
      expect(await mine()).toEqual([[`itest-live-${tag}`, 'alive']]);
    } finally {
      await dead.removeAll();
      await live.removeAll();
    }
  });
});
