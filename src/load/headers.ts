/** Set by the app on every response: its own service time in µs. */
export const APP_SERVICE_TIME_HEADER = 'x-app-service-time-us';
/** Set by the proxy nearest the client: its upstream time in whole ms (Envoy's header; HAProxy sets it from %Tr). */
export const UPSTREAM_SERVICE_TIME_HEADER = 'x-envoy-upstream-service-time';
/** Appended by each sidecar hop ("inbound", "outbound"): the path a response took, for checks and tests. */
export const HOP_HEADER = 'x-sidecar-bench-hop';
