/** Diagnosis: results.json → findings of the seed's troubleshooting matrix (symptom, evidence, verification, remedy). */
export { FINDING_CATALOG, FINDING_KINDS, type FindingDefinition, type FindingKind } from './catalog.js';
export { describeEvidence, diagnose } from './diagnose.js';
export type { Finding, FindingEvidence } from './types.js';
