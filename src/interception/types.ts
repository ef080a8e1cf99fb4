/** The ways a pod's traffic can be steered into its sidecar. */
export const INTERCEPTION_NAMES = ['none', 'iptables'] as const;
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
}
