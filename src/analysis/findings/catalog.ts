/**
 * The seed's troubleshooting matrix as data: one row per symptom a run can show, with the words
 * the seed uses, the command a person would run in a cluster to confirm it, and the remedy.
 */

import { FINDING_KINDS, type FindingKind } from '../../scenario/finding-kinds.js';

export { FINDING_KINDS, type FindingKind };

/** What a finding says besides its evidence. */
export interface FindingDefinition {
  /** The symptom in the seed's words. */
  symptom: string;
  /** What a person would run in a Kubernetes cluster to see the same thing. */
  verify: string;
  remedy: string;
}

export const FINDING_CATALOG: Readonly<Record<FindingKind, FindingDefinition>> = {
  'upstream-timeout': {
    symptom: '504 upstream request timeout',
    verify: "kubectl logs <pod> -c istio-proxy | grep -E ' 504 .*UT '; istioctl proxy-config route <pod> -o json | grep -i timeout",
    remedy: 'The app answered after the proxy’s route timeout. Raise the route timeout (VirtualService http[].timeout) above the app’s slowest normal answer, or make the app answer faster; retries need a perTryTimeout below the route timeout.',
  },
  'upstream-connect-error': {
    symptom: '"upstream connect error or disconnect/reset before headers" / connection refused',
    verify: "kubectl logs <pod> -c istio-proxy | grep -E 'UF|UC|URX'; kubectl exec <pod> -c <app> -- ss -ltn (is the app listening on 0.0.0.0, on the port the Service names?)",
    remedy: 'The sidecar could not reach the app. Bind the app to 0.0.0.0 (not 127.0.0.1: the sidecar forwards to the pod IP), check containerPort/targetPort, and let readiness wait for the app.',
  },
  'oom-killed': {
    symptom: 'OOMKilled',
    verify: "kubectl get pod <pod> -o jsonpath='{.status.containerStatuses[*].lastState.terminated.reason}'; kubectl describe pod <pod> | grep -A3 'Last State'",
    remedy: 'A container hit its memory limit and was killed. Raise its memory limit (the seed sizes sidecars at 128–512 MiB; Istio: sidecar.istio.io/proxyMemoryLimit), or lower what it holds (connections, buffers, stats).',
  },
  'cpu-throttling': {
    symptom: 'high latency from CPU throttling',
    verify: 'kubectl exec <pod> -c istio-proxy -- cat /sys/fs/cgroup/cpu.stat (nr_throttled, throttled_usec rising)',
    remedy: 'The container used up its CFS quota and waited for the next period. Raise or remove the CPU limit (keep the request), and match the proxy’s worker threads (concurrency) to the CPUs it may use.',
  },
  'high-latency': {
    symptom: 'high latency: P99 > 100 ms',
    verify: "kubectl exec <pod> -c istio-proxy -- curl -s localhost:15000/stats | grep -E 'upstream_rq_time|downstream_rq_time'",
    remedy: 'Find which hop adds the time: compare the upstream service time with the client latency, then look for CPU throttling, queueing at a saturated proxy (concurrency), or a slow app.',
  },
  'certificate-verify-failed': {
    symptom: 'certificate verify failed',
    verify: 'istioctl proxy-config secret <pod>; kubectl logs <pod> -c istio-proxy | grep -i "verify"',
    remedy: 'A peer certificate was refused. Check that both sidecars trust the same CA bundle, that every SVID was issued by it and is valid now (clock skew, expiry), that a rotation updated both sides, and that the TLS version and cipher are allowed on both.',
  },
  'port-exhaustion': {
    symptom: 'ephemeral port exhaustion: EADDRNOTAVAIL, TIME_WAIT pile-up',
    verify: 'kubectl exec <pod> -- ss -s; kubectl exec <pod> -- ss -tan state time-wait | wc -l; kubectl exec <pod> -- sysctl net.ipv4.ip_local_port_range',
    remedy: 'Every new connection to the same destination holds a local port for 60 s in TIME_WAIT. Keep connections alive (connection pooling), widen net.ipv4.ip_local_port_range (1024 65535) and set net.ipv4.tcp_tw_reuse=1 in the pod (securityContext.sysctls).',
  },
  'conntrack-full': {
    symptom: 'conntrack table full',
    verify: "dmesg | grep 'nf_conntrack: table full'; conntrack -S (drop, insert_failed); sysctl net.netfilter.nf_conntrack_count net.netfilter.nf_conntrack_max",
    remedy: 'New connections were dropped because the connection-tracking table was full. Raise net.netfilter.nf_conntrack_max on the node, or exempt trusted pod traffic from tracking (iptables -t raw … -j NOTRACK / CT --notrack).',
  },
  'handshake-churn': {
    symptom: 'mTLS handshake churn',
    verify: "kubectl exec <pod> -c istio-proxy -- curl -s localhost:15000/stats | grep -E 'ssl.handshake|ssl.session_reused'",
    remedy: 'Most requests paid a full TLS handshake between the sidecars. Keep upstream connections alive (DestinationRule connectionPool.http.maxRequestsPerConnection unset or high) and allow session resumption (tickets or a session cache).',
  },
};
