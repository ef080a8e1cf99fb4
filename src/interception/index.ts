export { INTERCEPTION_NAMES, type InterceptionName, type Interception, type InterceptedPod } from './types.js';
export { INBOUND_CAPTURE_PORT, OUTBOUND_CAPTURE_PORT, PROXY_UID, PROXY_GID, renderInterceptionRules, IPTABLES_INTERCEPTION, type InterceptionOptions } from './iptables.js';
export { interceptionFor, NO_INTERCEPTION } from './registry.js';
