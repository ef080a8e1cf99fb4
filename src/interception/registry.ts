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
};

/** The strategy behind a catalog name. */
export function interceptionFor(name: InterceptionName): Interception {
  return STRATEGIES[name];
}
