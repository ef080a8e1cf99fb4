import type Dockerode from 'dockerode';
import { runLoader } from './ebpf-session.js';

/** A BPF program or map as bpftool lists it. */
export interface BpfObject {
  id: number;
  name?: string;
  type: string;
}

/** One cgroup's attachments, from `bpftool cgroup tree` (path relative to the v2 root). */
export interface CgroupAttachment {
  cgroup: string;
  programId: number;
  programName?: string;
  attachType: string;
}

/** Everything BPF on the host, as the loader sees it with the host's cgroup namespace. */
export interface BpfInventory {
  programs: BpfObject[];
  maps: BpfObject[];
  links: { id: number; progId?: number; type: string }[];
  cgroupAttachments: CgroupAttachment[];
}

/** Programs and maps of sidecar-bench carry this name prefix (docker/ebpf/sidecar.bpf.c). */
export const BPF_NAME_PREFIX = 'sb_';

/** Parses the loader's `inventory` output ("progs [...]", "maps [...]", "links [...]", "cgroups [...]"). */
export function parseInventory(lines: readonly string[], cgroupRoot = '/run/sb-cgroup2'): BpfInventory {
  const section = (name: string): unknown[] => {
    const line = lines.find((entry) => entry.startsWith(`${name} `));
    if (!line) throw new Error(`bpf inventory: no "${name}" line`);
    const parsed: unknown = JSON.parse(line.slice(name.length + 1));
    if (!Array.isArray(parsed)) throw new Error(`bpf inventory: "${name}" is not a JSON array`);
    return parsed;
  };
  const objects = (name: string): BpfObject[] =>
    (section(name) as { id: number; name?: string; type: string }[]).map((entry) => ({ id: entry.id, type: entry.type, ...(entry.name ? { name: entry.name } : {}) }));
  const cgroupAttachments = (section('cgroups') as { cgroup: string; programs?: { id: number; name?: string; attach_type: string }[] }[]).flatMap((entry) =>
    (entry.programs ?? []).map((program) => ({
      cgroup: entry.cgroup.startsWith(cgroupRoot) ? entry.cgroup.slice(cgroupRoot.length).replace(/^\/+/, '') : entry.cgroup,
      programId: program.id,
      attachType: program.attach_type,
      ...(program.name ? { programName: program.name } : {}),
    })),
  );
  const links = (section('links') as { id: number; prog_id?: number; type: string }[]).map((entry) => ({ id: entry.id, type: entry.type, ...(entry.prog_id !== undefined ? { progId: entry.prog_id } : {}) }));
  return { programs: objects('progs'), maps: objects('maps'), links, cgroupAttachments };
}

/** Lists every BPF program, map, link and cgroup attachment on the host (one loader container). */
export async function readBpfInventory(dockerode: Dockerode, image: string): Promise<BpfInventory> {
  return parseInventory(await runLoader(dockerode, image, ['inventory'], 'list the host’s BPF programs'));
}
