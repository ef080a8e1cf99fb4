import type Dockerode from 'dockerode';
import { BpfSession, interceptionFor, planAttachments } from '../interception/index.js';
import type { RunResources } from '../runtime/run-resources.js';
import { topologyDefinition, type TopologyName } from '../topology/index.js';
import type { AttachInterception } from './pods-for-run.js';

/** True when one of these topologies attaches eBPF programs (so the run needs the ebpf image and a session). */
export function needsBpf(topologies: readonly TopologyName[]): boolean {
  return topologies.some((name) => interceptionFor(topologyDefinition(name).interception).bpf !== undefined);
}

/**
 * Opens the run's eBPF session (its teardown registered with the run's resources) and returns the
 * step that attaches an arm's programs to its pods' cgroups once both pods run.
 */
export async function openBpf(dockerode: Dockerode, resources: RunResources, images: { ebpf: string; pause: string }): Promise<{ session: BpfSession; attach: AttachInterception }> {
  const session = await BpfSession.open({ dockerode, resources, image: images.ebpf, keeperImage: images.pause });
  const attach: AttachInterception = async (plan, client, server) => {
    const mechanisms = plan.interception.bpf;
    if (!mechanisms) return undefined;
    const attachments = await planAttachments(mechanisms, [...client.containers, ...server.containers]);
    await session.attach(plan.arm, attachments);
    return { ...mechanisms, attachments };
  };
  return { session, attach };
}
