/**
 * What the report's fixture runs pretend to have measured: per topology (or calibration arm) its
 * throughput, latency distribution, nearest proxy, open-model behaviour and containers.
 */
import type { CalibrationPlan, ContainerRole } from '../results/schema.js';

export interface ContainerPlan {
  name: string;
  role: ContainerRole;
  side: 'client' | 'server';
  vcpu: number;
  ctxPerSecond: number;
  rssMiB: number;
}

/** Open model: how well the schedule was kept. */
export interface OpenPlan {
  targetRps: number;
  /** Share of the scheduled requests never sent; above 0.1 % the rate was not sustained. */
  unsentShare: number;
  /** Share of the sent requests that waited for a free connection. */
  waitedShare: number;
  /** Send lag of a sustained schedule: lognormal with this median and P99 (µs). */
  lagMedianUs: number;
  lagP99Us: number;
}

export interface TopologyPlan {
  name: string;
  description: string;
  /** Responses per second (closed model), or ignored (open model: the target rate less the unsent). */
  rps: number;
  /** Median client latency of one request without any injected delay (µs). */
  medianUs: number;
  /** Spread of ln(latency). */
  sigma: number;
  /** Spread of one trial's median around the plan's (a share: 0.04 = 4 %). */
  trialSpread: number;
  /** Which proxy, if any, answers the client and sets x-envoy-upstream-service-time. */
  nearestProxy: 'none' | 'server' | 'client';
  /** Calibration: the server sidecar holds every request this long, between itself and the app (µs). */
  delayUs: number;
  non2xx: number;
  open?: OpenPlan;
  containers: ContainerPlan[];
}

function container(side: 'client' | 'server', role: ContainerRole, vcpu: number, ctxPerSecond: number, rssMiB: number, prefix: string): ContainerPlan {
  return { name: `${prefix}-${side}-${role}`, role, side, vcpu, ctxPerSecond, rssMiB };
}

function sidecarContainers(prefix: string): ContainerPlan[] {
  return [
    container('client', 'pause', 0, 0.2, 0.4, prefix), container('client', 'loadgen', 0.45, 1_900, 93, prefix),
    container('client', 'sidecar', 0.47, 7_600, 36, prefix), container('server', 'pause', 0, 0.2, 0.4, prefix),
    container('server', 'app', 0.24, 3_900, 60, prefix), container('server', 'sidecar', 0.41, 7_500, 37, prefix),
  ];
}

/** app-only, sidecar-inbound and sidecar under a closed loop (16 connections). */
export function closedPlans(hostile: string): TopologyPlan[] {
  const suffix = hostile === '' ? '' : ` ${hostile}`;
  return [
    {
      name: 'app-only', description: `baseline: load generator → app, no proxy${suffix}`, rps: 9_000, medianUs: 300, sigma: 0.3, trialSpread: 0.04,
      nearestProxy: 'none', delayUs: 0, non2xx: 0,
      containers: [
        container('client', 'pause', 0, 0.2, 0.4, 'ao'), container('client', 'loadgen', 0.92, 3_800, 96, 'ao'),
        container('server', 'pause', 0, 0.2, 0.4, 'ao'), container('server', 'app', 0.55, 9_400, 61, 'ao'),
      ],
    },
    {
      name: 'sidecar-inbound', description: `server pod has an inbound sidecar${suffix}`, rps: 5_200, medianUs: 540, sigma: 0.3, trialSpread: 0.04,
      nearestProxy: 'server', delayUs: 0, non2xx: 0,
      containers: [
        container('client', 'pause', 0, 0.2, 0.4, 'si'), container('client', 'loadgen', 0.61, 2_600, 94, 'si'),
        container('server', 'pause', 0, 0.2, 0.4, 'si'), container('server', 'app', 0.33, 5_500, 60, 'si'),
        container('server', 'sidecar', 0.57, 10_800, 37, 'si'),
      ],
    },
    {
      name: 'sidecar', description: `both pods have a sidecar${suffix}`, rps: 3_600, medianUs: 700, sigma: 0.3, trialSpread: 0.04,
      nearestProxy: 'client', delayUs: 0, non2xx: 3, containers: sidecarContainers('sc'),
    },
  ];
}

export const OPEN_TARGET_RPS = 4_000;

/**
 * The same topologies at a fixed 4,000 requests/s: app-only keeps the schedule; sidecar-inbound
 * keeps it but late (send lag P99 > 1 ms, 2.4 % waited for a connection); sidecar cannot (10 %
 * unsent, its backlog grows through the window).
 */
export function openPlans(hostile: string): TopologyPlan[] {
  const [appOnly, inbound, sidecar] = closedPlans(hostile) as [TopologyPlan, TopologyPlan, TopologyPlan];
  const open = (unsentShare: number, waitedShare: number, lagMedianUs: number, lagP99Us: number): OpenPlan => ({
    targetRps: OPEN_TARGET_RPS, unsentShare, waitedShare, lagMedianUs, lagP99Us,
  });
  return [
    { ...appOnly, medianUs: 260, open: open(0, 0, 18, 60) },
    { ...inbound, medianUs: 470, open: open(0, 0.024, 140, 1_400) },
    { ...sidecar, medianUs: 690, open: open(0.1, 0.9, 0, 0) },
  ];
}

export const CALIBRATION_DELAYS_US = [500, 1_000, 5_000] as const;

function delayLabel(delayUs: number): string {
  return delayUs % 1000 === 0 ? `${delayUs / 1000}ms` : `${delayUs}us`;
}

/**
 * `sidecar-bench calibrate` over the sidecar topology at 500 requests/s: the reference (D = 0),
 * the A/A arm (D = 0 again) and one arm per delay, held in the server sidecar before the app.
 */
export function calibrationPlans(): { plans: TopologyPlan[]; calibration: CalibrationPlan } {
  const arm = (name: string, description: string, delayUs: number): TopologyPlan => ({
    name, description: `both pods have a sidecar; ${description}`, rps: 500, medianUs: 450, sigma: 0.15, trialSpread: 0.015, nearestProxy: 'client',
    delayUs, non2xx: 0, open: { targetRps: 500, unsentShare: 0, waitedShare: 0, lagMedianUs: 15, lagP99Us: 45 },
    // A seventh of the sidecar topology's closed-loop rate: a seventh of its CPU and context switches.
    containers: sidecarContainers(name).map((c) => ({ ...c, vcpu: c.vcpu / 7, ctxPerSecond: c.ctxPerSecond / 7 })),
  });
  const delayed = CALIBRATION_DELAYS_US.map((delayUs) => arm(`calibration-d${delayLabel(delayUs)}`, `server sidecar holds each request ${delayLabel(delayUs)}`, delayUs));
  return {
    plans: [arm('calibration-d0', 'calibration path, no delay (reference)', 0), arm('calibration-aa', 'calibration path, no delay (A/A check)', 0), ...delayed],
    calibration: {
      referenceArm: 'calibration-d0',
      aaArm: 'calibration-aa',
      delayedArms: delayed.map((plan) => ({ arm: plan.name, delayUs: plan.delayUs })),
    },
  };
}
