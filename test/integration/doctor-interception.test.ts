import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { checkInterceptionIn, initContainerRules } from '../../src/host/interception-check.js';
import { runCommand } from '../../src/host/host-probes.js';
import { hostUnshareSandbox, initContainerSandbox } from '../../src/host/netns-sandbox.js';
import { ensureImages } from '../../src/images/index.js';
import { OWNER_PID_LABEL } from '../../src/runtime/run-owner.js';
import { dockerForTests } from '../support/docker.js';
import { testProgress } from '../support/progress.js';

const dockerode = await dockerForTests();

describe.skipIf(!dockerode)("doctor's interception check, for real", () => {
  it('installs the init container’s rule set in a throwaway container of the init image, and removes it', async () => {
    const docker = dockerode as Dockerode;
    const { images } = await ensureImages({ dockerode: docker, progress: testProgress, names: ['init'] });
    const image = images.init?.tag as string;
    const check = await checkInterceptionIn(initContainerSandbox(docker, image), initContainerRules());
    expect(check).toEqual({
      name: 'interception',
      status: 'ok',
      detail: `the init container's 10-part rule set (2 REDIRECT, 2 owner matches) installs in a container of ${image} (its own network namespace, NET_ADMIN + NET_RAW)`,
    });

    // Without NET_ADMIN the engine's default capabilities cannot touch the nat table: istio-init fails the same way.
    const refused = await checkInterceptionIn(initContainerSandbox(docker, image, []), initContainerRules());
    expect(refused.status).toBe('fail');
    expect(refused.detail).toMatch(/^istio-init would fail: ".+"; the first part that fails is the nat table \(`\*nat`\): .*(Permission denied|Operation not permitted)/);
    expect(refused.detail).toContain('10 of 10 parts fail');
    expect(refused.fix).toContain('CAP_NET_ADMIN');

    const mine = await docker.listContainers({ all: true, filters: { label: [`${OWNER_PID_LABEL}=${process.pid}`, 'io.sidecar-bench.role=doctor-interception'] } });
    expect(mine).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0 && process.env.CI !== 'true')('installs it with the host’s iptables in unshare --net (root)', async () => {
    const check = await checkInterceptionIn(hostUnshareSandbox(runCommand, '/usr/bin/unshare', 'iptables'), initContainerRules());
    expect(check).toMatchObject({ status: 'ok' });
    expect(check.detail).toContain('unshare --net');
  });
});
