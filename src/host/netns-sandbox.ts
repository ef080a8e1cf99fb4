/**
 * Throwaway network namespaces for doctor's interception check (src/host/interception-check.ts):
 * a short-lived container of the init image, or `unshare --net` on the host.
 */
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { describeError } from '../errors.js';
import { IMAGE_LABEL } from '../images/catalog.js';
import { readContainerLog } from '../runtime/container-logs.js';
import { RunResources } from '../runtime/run-resources.js';
import type { CommandResult } from './host-probes.js';
import type { NetnsSandbox } from './interception-check.js';

/** The capabilities the pod's init container gets (src/runtime/pod.ts). */
export const INIT_CAPABILITIES = ['NET_ADMIN', 'NET_RAW'] as const;

/** Longest the sandbox container may run; the rules take well under a second. */
const SANDBOX_TIMEOUT_MS = 30_000;

/** The newest init image sidecar-bench has built on this engine, or undefined (doctor builds nothing). */
export async function newestInitImage(dockerode: Dockerode): Promise<string | undefined> {
  return newestImage(dockerode, 'init');
}

/** The newest image of one name (init, ebpf, …) sidecar-bench has built on this engine, or undefined. */
export async function newestImage(dockerode: Dockerode, name: string): Promise<string | undefined> {
  const images = await dockerode.listImages({ filters: { label: [`${IMAGE_LABEL}=${name}`] } });
  const newest = images.filter((image) => image.RepoTags?.some((tag) => tag !== '<none>:<none>')).sort((a, b) => b.Created - a.Created)[0];
  return newest?.RepoTags?.find((tag) => tag !== '<none>:<none>');
}

/**
 * A container of `image` in its own network namespace (`--network none`) with the init
 * container's capabilities (or `capabilities`), running the script as its entrypoint. It carries
 * a run's labels, so even a doctor killed mid-check leaves nothing `clean` cannot find; it is
 * removed on every path.
 */
export function initContainerSandbox(dockerode: Dockerode, image: string, capabilities: readonly string[] = INIT_CAPABILITIES): NetnsSandbox {
  return {
    where: `a container of ${image} (its own network namespace, ${capabilities.length > 0 ? capabilities.join(' + ') : 'no added capabilities'})`,
    async runScript(script): Promise<CommandResult> {
      const resources = new RunResources(dockerode, `doctor-${randomBytes(3).toString('hex')}`);
      try {
        const container = await dockerode.createContainer({
          Image: image,
          Entrypoint: ['sh', '-c', script],
          Labels: { ...resources.labels, 'io.sidecar-bench.role': 'doctor-interception' },
          HostConfig: { NetworkMode: 'none', CapAdd: [...capabilities] },
        });
        await container.start();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${SANDBOX_TIMEOUT_MS} ms`)), SANDBOX_TIMEOUT_MS);
        });
        const { StatusCode } = (await Promise.race([container.wait(), timeout]).finally(() => clearTimeout(timer))) as { StatusCode: number };
        return { exitCode: StatusCode, stdout: (await readContainerLog(dockerode, container.id)).join('\n'), stderr: '' };
      } catch (error) {
        return { exitCode: undefined, stdout: '', stderr: describeError(error) };
      } finally {
        await resources.removeAll();
      }
    },
  };
}

/** `unshare --net` on the host, with the host's iptables: the namespace dies with the shell. */
export function hostUnshareSandbox(run: (file: string, args: readonly string[]) => Promise<CommandResult>, unshare: string, iptablesVariant: string): NetnsSandbox {
  return {
    where: `a throwaway network namespace on the host (unshare --net, the host's ${iptablesVariant}, not the init image's)`,
    runScript: (script) => run(unshare, ['--net', 'sh', '-c', script]),
  };
}
