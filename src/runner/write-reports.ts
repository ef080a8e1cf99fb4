import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultsSummary } from '../analysis/index.js';
import { renderHtmlReport } from '../report/index.js';
import type { GateResult } from '../gate/index.js';
import type { Results } from '../results/index.js';

export const HTML_REPORT_FILE_NAME = 'index.html';

/** Every report is a pure function of results.json (and its summary); `sidecar-bench report` calls this too. */
export async function writeReports(directory: string, results: Results, summary: ResultsSummary, gate?: GateResult): Promise<string[]> {
  const htmlPath = join(directory, HTML_REPORT_FILE_NAME);
  // `report --out new-dir` gave "unexpected error: ENOENT" when the folder did not exist yet.
  await mkdir(directory, { recursive: true });
  await writeFile(htmlPath, await renderHtmlReport(results, summary, gate));
  return [htmlPath];
}
