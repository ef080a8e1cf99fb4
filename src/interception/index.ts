export { INTERCEPTION_NAMES, type InterceptionName, type Interception, type InterceptedPod, type BpfMechanisms } from './types.js';
export { INBOUND_CAPTURE_PORT, OUTBOUND_CAPTURE_PORT, PROXY_UID, PROXY_GID, renderInterceptionRules, IPTABLES_INTERCEPTION, type InterceptionOptions } from './iptables.js';
export { interceptionFor, NO_INTERCEPTION } from './registry.js';
export { EBPF_INTERCEPTION, EBPF_SOCKMAP_INTERCEPTION, EBPF_CONNECT_INTERCEPTION } from './ebpf.js';
export { BpfSession, runLoader, planAttachments, unifiedCgroupOf, type BpfAttachment, type BpfTarget, type BpfSessionOptions } from './ebpf-session.js';
export { parseCounterDump, counterDelta, inactivityProblems } from './ebpf-counters.js';
export { readBpfInventory, parseInventory, BPF_NAME_PREFIX, type BpfInventory, type BpfObject, type CgroupAttachment } from './ebpf-inventory.js';
