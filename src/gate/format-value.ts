import { GATE_METRICS, type GateMetric } from '../scenario/gates-schema.js';

/** A metric value in its natural unit, for people: "1.234 ms", "512.0 MiB", "0.10 %", "0.421". */
export function formatMetricValue(metric: GateMetric, value: number, signed = false): string {
  if (!Number.isFinite(value)) return '—';
  const sign = signed && value > 0 ? '+' : '';
  switch (GATE_METRICS[metric].unit) {
    case 'duration':
      return Math.abs(value) >= 1000 ? `${sign}${(value / 1000).toFixed(3)} ms` : `${sign}${value.toFixed(0)} µs`;
    case 'size':
      return `${sign}${(value / 1024 ** 2).toFixed(1)} MiB`;
    case 'percent':
      return `${sign}${(value * 100).toFixed(2)} %`;
    case 'number':
      return `${sign}${Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3)}`;
  }
}

/** A median with its interval in the metric's unit: "1.750 ms [1.500 ms, 1.950 ms]". */
export function formatMetricEstimate(metric: GateMetric, estimate: { median: number; low: number; high: number }, signed = false): string {
  const format = (value: number) => formatMetricValue(metric, value, signed);
  return `${format(estimate.median)} [${format(estimate.low)}, ${format(estimate.high)}]`;
}
