import { EBPF_CONNECT_INTERCEPTION, EBPF_INTERCEPTION, EBPF_SOCKMAP_INTERCEPTION } from './ebpf.js';
import { IPTABLES_INTERCEPTION } from './iptables.js';
import type { Interception, InterceptionName } from './types.js';

/** No interception: pods without a sidecar. */
export const NO_INTERCEPTION: Interception = {
  name: 'none',
  initRules: () => undefined,
  undo: 'nothing installed',
};

const STRATEGIES: Readonly<Record<InterceptionName, Interception>> = {
  none: NO_INTERCEPTION,
  iptables: IPTABLES_INTERCEPTION,
  'ebpf-sockmap': EBPF_SOCKMAP_INTERCEPTION,
  'ebpf-connect': EBPF_CONNECT_INTERCEPTION,
  ebpf: EBPF_INTERCEPTION,
};

/** The strategy behind a catalog name. */
export function interceptionFor(name: InterceptionName): Interception {
  return STRATEGIES[name];
}
