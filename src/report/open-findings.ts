/** The open model's findings, split into why the rate was not sustained and what was merely late. */
import { MAX_UNSENT_SHARE, sentShortOfSchedule } from '../analysis/open-model.js';
import type { OpenModelSummary } from './summary-types.js';

/**
 * The findings that made the rate count as not sustained (too many unsent, too low a sent rate)
 * and the others (late sends, waits for a connection). summarizeOpenModel lists the former first;
 * they are recounted here from the same thresholds.
 */
export function splitFindings(open: OpenModelSummary): { fatal: string[]; notes: string[] } {
  const fatalCount =
    (open.scheduled > 0 && open.unsent / open.scheduled > MAX_UNSENT_SHARE ? 1 : 0) + (sentShortOfSchedule(open.sent, open.scheduled) ? 1 : 0);
  const count = open.sustained ? 0 : Math.max(1, fatalCount);
  return { fatal: open.findings.slice(0, count), notes: open.findings.slice(count) };
}
