import { renderInterceptionRules } from './iptables.js';
import type { BpfMechanisms, Interception, InterceptionName } from './types.js';

const DETACH = 'the loader detaches every program from the pod’s cgroups and unpins the arm’s maps at the end of the run, on failure and on interrupt (src/interception/ebpf-session.ts)';

function ebpfInterception(name: InterceptionName, bpf: BpfMechanisms): Interception {
  return {
    name,
    bpf,
    // connect4 replaces the outbound REDIRECT; inbound (PREROUTING → 15006) stays iptables: traffic
    // from outside the pod's host cannot be steered by a cgroup hook of the receiving pod.
    initRules: (pod) => (pod.hasSidecar ? renderInterceptionRules({ outbound: !bpf.connect }) : undefined),
    undo: bpf.connect ? `${DETACH}; the inbound iptables rules go with the pod’s network namespace` : `${DETACH}; the iptables rules go with the pod’s network namespace`,
  };
}

/** sockops + sk_msg over iptables interception: the loopback/veth TCP hops skipped, redirects as before. */
export const EBPF_SOCKMAP_INTERCEPTION = ebpfInterception('ebpf-sockmap', { sockmap: true, connect: false });
/** connect4 + getsockopt instead of the outbound iptables REDIRECT; data still through TCP. */
export const EBPF_CONNECT_INTERCEPTION = ebpfInterception('ebpf-connect', { sockmap: false, connect: true });
/** Both mechanisms. */
export const EBPF_INTERCEPTION = ebpfInterception('ebpf', { sockmap: true, connect: true });
