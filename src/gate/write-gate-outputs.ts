import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../analysis/findings/index.js';
import type { Results } from '../results/schema.js';
import type { GateResult } from './evaluate.js';
import { renderJunit } from './junit.js';
import { renderMarkdownSummary } from './markdown.js';
import { describeRounds } from './rounds-text.js';

export interface GateOutputs {
  junitPath: string;
  markdownPath: string;
  markdown: string;
}

/** junit.xml and summary.md next to results.json; the summary also goes to GITHUB_STEP_SUMMARY when set. */
export async function writeGateOutputs(directory: string, result: GateResult, results: Results, confidence: number, env: NodeJS.ProcessEnv = process.env, findings: readonly Finding[] = []): Promise<GateOutputs> {
  const title = String(results.scenario.name);
  const host = `${results.host.cpuModel}, ${results.host.logicalCores} cores, kernel ${results.host.kernel}`;
  const markdown = renderMarkdownSummary(result, title, { scenario: title, runId: results.run.id, host, confidence, rounds: describeRounds(results), findings });
  const junitPath = join(directory, 'junit.xml');
  const markdownPath = join(directory, 'summary.md');
  await writeFile(junitPath, renderJunit(result, `sidecar-bench gate: ${title}`, results.run.finishedAt));
  await writeFile(markdownPath, markdown);
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  return { junitPath, markdownPath, markdown };
}
