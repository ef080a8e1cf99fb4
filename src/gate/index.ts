export { evaluateGates, judgeRegression, judgeThreshold, runErrorsOf, type GateCheck, type GateInputs, type GateResult, type RunError, type Verdict } from './evaluate.js';
export { compareRuns, compareScenarios, describeDifference, type RunDifference } from './comparability.js';
export { DEFAULT_REGRESSIONS } from './default-regressions.js';
export { renderJunit } from './junit.js';
export { countsLine, renderMarkdownSummary } from './markdown.js';
export { describeRounds } from './rounds-text.js';
export { formatMetricValue } from './format-value.js';
export { writeGateOutputs, type GateOutputs } from './write-gate-outputs.js';
