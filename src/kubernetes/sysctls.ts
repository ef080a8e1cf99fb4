/**
 * Sysctls a pod may set for itself: those the kernel keeps per network namespace, set on the
 * namespace's owner (the pause container) as the kubelet does through the pod's
 * `securityContext.sysctls`.
 *
 * The kubelet's own rule (pkg/kubelet/sysctl/namespace.go) counts every `net.*` key as
 * namespaced, and kernel.shm*, kernel.msg*, kernel.sem and fs.mqueue.* as IPC-namespaced. The
 * kernel is stricter: some `net.*` tables are registered for the initial namespace only and do
 * not exist inside a pod (net/core/sysctl_net_core.c `net_core_table` vs `netns_core_table`;
 * net/ipv4/sysctl_net_ipv4.c `ipv4_table` vs `ipv4_net_table`). Those known host-wide keys are
 * refused here with that reason; any other `net.*` key the running kernel lacks in a namespace
 * makes the pod fail to start with the runtime's message naming the file.
 */

/** The seed's Step 3 kernel tunables: what every pod gets when a scenario says nothing. */
export const SEED_SYSCTLS: Readonly<Record<string, string>> = {
  'net.core.somaxconn': '1024',
  'net.ipv4.tcp_fin_timeout': '15',
  'net.ipv4.ip_local_port_range': '1024 65535',
};

/** IPC-namespaced keys (namespace.go): namespaced, but the pods here share only the network namespace. */
const IPC_KEYS = new Set(['kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced', 'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni']);

/** net.core keys of the global `net_core_table` (only `netns_core_table` is per namespace). */
const HOST_WIDE_NET_CORE = [
  'wmem_max', 'rmem_max', 'wmem_default', 'rmem_default', 'mem_pcpu_rsv', 'dev_weight', 'dev_weight_rx_bias', 'dev_weight_tx_bias',
  'netdev_max_backlog', 'netdev_rss_key', 'bpf_jit_enable', 'bpf_jit_harden', 'bpf_jit_kallsyms', 'bpf_jit_limit', 'netdev_tstamp_prequeue',
  'message_cost', 'message_burst', 'busy_poll', 'busy_read', 'default_qdisc', 'netdev_budget', 'netdev_budget_usecs', 'warnings',
  'max_skb_frags', 'flow_limit_cpu_bitmap', 'flow_limit_table_len', 'rps_sock_flow_entries', 'rps_default_mask', 'fb_tunnels_only_for_init_net',
  'devconf_inherit_init_net', 'high_order_alloc_disable', 'gro_normal_batch', 'netdev_unregister_timeout_secs', 'skb_defer_max', 'tstamp_allow_data',
].map((key) => `net.core.${key}`);

/** net.ipv4 keys of the global `ipv4_table` (the rest, `ipv4_net_table`, is per namespace). */
const HOST_WIDE_NET_IPV4 = ['tcp_max_orphans', 'inet_peer_threshold', 'inet_peer_minttl', 'inet_peer_maxttl', 'tcp_mem', 'udp_mem', 'fib_sync_mem', 'tcp_low_latency', 'cipso_cache_enable', 'cipso_cache_bucket_size', 'cipso_rbm_optfmt', 'cipso_rbm_strictvalid'].map((key) => `net.ipv4.${key}`);

const HOST_WIDE = new Set([...HOST_WIDE_NET_CORE, ...HOST_WIDE_NET_IPV4]);

/** Dotted lower-case names, as /proc/sys paths with "." (e.g. net.ipv4.conf.eth0.forwarding). */
const SYSCTL_NAME = /^[a-z0-9_]+(\.[a-zA-Z0-9_-]+)+$/;

/**
 * Why a sysctl cannot be set on a pod here, or undefined when it can (a per-netns `net.*` key).
 * Names written with "/" (net/core/somaxconn) are refused: the scenario uses the dotted form.
 */
export function sysctlProblem(name: string): string | undefined {
  if (!SYSCTL_NAME.test(name)) return `"${name}" is not a sysctl name; expected a dotted name like net.core.somaxconn`;
  if (IPC_KEYS.has(name) || name.startsWith('fs.mqueue.')) {
    return `${name} belongs to the IPC namespace, which the containers of a pod here do not share (only the network namespace is shared); only net.* sysctls can be set per pod`;
  }
  if (!name.startsWith('net.')) return `${name} is not namespaced: it would change the whole host, not the pod (only net.* sysctls are per network namespace)`;
  if (HOST_WIDE.has(name)) return `${name} is host-wide: the kernel keeps it for the initial network namespace only, so a pod cannot set it`;
  return undefined;
}

/**
 * Why a sysctl value cannot be written, or undefined. Values are what `sysctl -w` takes: one
 * line, numbers separated by spaces or tabs for vector keys (ip_local_port_range "1024 65535").
 */
export function sysctlValueProblem(value: string): string | undefined {
  if (value.trim() === '') return 'expected a value, like "1024" or "1024 65535"';
  if (/[\n\r\0]/.test(value)) return 'expected one line';
  return undefined;
}

/** The /proc/sys path of a dotted sysctl name (net.core.somaxconn → /proc/sys/net/core/somaxconn). */
export function sysctlPath(name: string): string {
  return `/proc/sys/${name.replace(/\./g, '/')}`;
}

/** The kernel prints vector values with tabs ("1024\t65535"); compares as /proc shows them. */
export function sameSysctlValue(written: string, readBack: string): boolean {
  const words = (text: string) => text.trim().split(/\s+/).join(' ');
  return words(written) === words(readBack);
}
