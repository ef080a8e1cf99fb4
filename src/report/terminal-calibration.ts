/** A calibration run's verdict for the terminal: the delay checks and the A/A check as two compact tables. */
import Table from 'cli-table3';
import {
  CALIBRATION_STATISTIC_LABELS,
  checksByArm,
  delayedArmsOf,
  estimatorsIn,
  isJudged,
  judgedByLine,
  machineStallsNote,
  overallVerdict,
} from './calibration-text.js';
import { formatEstimateMs, formatMs } from './format.js';
import { ESTIMATOR_SHORT_LABELS, type CalibrationCheck, type CalibrationSummary, type EstimatorName } from './summary-types.js';

export type Paint = (text: string, style: 'bold' | 'red' | 'green' | 'dim') => string;

const STATISTICS = ['p50Us', 'p99Us'] as const;

function estimatorName(calibration: CalibrationSummary, estimator: EstimatorName, paint: Paint): string {
  return isJudged(calibration, estimator) ? ESTIMATOR_SHORT_LABELS[estimator] : paint(`${ESTIMATOR_SHORT_LABELS[estimator]} (not judged)`, 'dim');
}

function verdict(check: CalibrationCheck | undefined, judged: boolean, paint: Paint): string {
  if (check === undefined) return '—';
  const word = check.pass ? 'PASS' : 'FAIL';
  return judged ? paint(word, check.pass ? 'green' : 'red') : paint(word, 'dim');
}

function checksTable(calibration: CalibrationSummary, paint: Paint): string {
  const head = ['D ms', 'estimator', ...STATISTICS.flatMap((s) => [`${CALIBRATION_STATISTIC_LABELS[s]} attributed ms\nmedian [CI]`, 'tol ms', ''])];
  const table = new Table({ head: head.map((cell) => paint(cell, 'bold')), style: { head: [], border: [] }, colAligns: ['right', 'left', 'right', 'right', 'left', 'right', 'right', 'left'] });
  for (const { delayUs, checks } of checksByArm(calibration, delayedArmsOf(calibration))) {
    for (const estimator of estimatorsIn(checks)) {
      const judged = isJudged(calibration, estimator);
      const cells = STATISTICS.flatMap((statistic) => {
        const check = checks.find((candidate) => candidate.estimator === estimator && candidate.statistic === statistic);
        return [formatEstimateMs(check?.attributed, { signed: true, unit: false }), check === undefined ? '—' : `±${formatMs(check.toleranceUs)}`, verdict(check, judged, paint)];
      });
      table.push([formatMs(delayUs), estimatorName(calibration, estimator, paint), ...cells]);
    }
  }
  return table.toString();
}

function aaTable(calibration: CalibrationSummary, paint: Paint): string {
  const head = ['estimator', ...STATISTICS.flatMap((s) => [`${CALIBRATION_STATISTIC_LABELS[s]} difference ms\nmedian [CI]`, 'significance'])];
  const table = new Table({ head: head.map((cell) => paint(cell, 'bold')), style: { head: [], border: [] }, colAligns: ['left', 'right', 'left', 'right', 'left'] });
  for (const estimator of estimatorsIn(calibration.aa)) {
    const judged = isJudged(calibration, estimator);
    const cells = STATISTICS.flatMap((statistic) => {
      const check = calibration.aa.find((candidate) => candidate.estimator === estimator && candidate.statistic === statistic);
      if (check === undefined) return ['—', '—'];
      const ok = check.significance === 'not significant';
      return [formatEstimateMs(check.difference, { signed: true, unit: false }), paint(check.significance, judged ? (ok ? 'green' : 'red') : 'dim')];
    });
    table.push([estimatorName(calibration, estimator, paint), ...cells]);
  }
  return table.toString();
}

/** Both tables, the estimators the verdict rests on, and the verdict. */
export function renderTerminalCalibration(calibration: CalibrationSummary, paint: Paint): string {
  const { pass, text } = overallVerdict(calibration);
  const stallsNote = machineStallsNote(calibration);
  return [
    paint(`Calibration: attributed overhead vs ${calibration.referenceArm} for each injected delay D`, 'bold'),
    checksTable(calibration, paint),
    paint(`A/A check: ${calibration.aaArm} vs ${calibration.referenceArm} (no difference expected)`, 'bold'),
    aaTable(calibration, paint),
    judgedByLine(calibration),
    paint(text, pass ? 'green' : 'red'),
    ...(stallsNote === undefined ? [] : [stallsNote]),
  ].join('\n');
}
