/** The ways a pod's traffic can be steered into its sidecar. */
export const INTERCEPTION_NAMES = ['none', 'iptables', 'ebpf-sockmap', 'ebpf-connect', 'ebpf'] as const;
export type InterceptionName = (typeof INTERCEPTION_NAMES)[number];

/** Which pod of a topology, and whether it runs a sidecar. */
export interface InterceptedPod {
  side: 'client' | 'server';
  hasSidecar: boolean;
}

/**
 * One interception strategy: what the pod's init step installs, and how that is undone.
 * Strategies that act outside the pod's network namespace (eBPF programs on the pod's cgroups)
 * add their own attach/detach steps on top of this.
 */
export interface Interception {
  name: InterceptionName;
  /** iptables-restore input the pod's init container applies; undefined when this pod gets no rules. */
  initRules(pod: InterceptedPod): string | undefined;
  /** How what it installs goes away, for the reader of the code and the report. */
  undo: string;
  /** eBPF mechanisms the strategy attaches to the pod's cgroups after its containers start; absent: none. */
  bpf?: BpfMechanisms;
}

/** Which eBPF mechanisms a strategy uses (docker/ebpf/sidecar.bpf.c). */
export interface BpfMechanisms {
  /** sockops + sk_msg on a sockhash: local connections' messages moved socket to socket. */
  sockmap: boolean;
  /** cgroup/connect4 + cgroup/getsockopt: outbound connects sent to the sidecar, SO_ORIGINAL_DST from a map. */
  connect: boolean;
}
