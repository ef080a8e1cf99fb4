import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchError } from '../errors.js';
import { RESULTS_SCHEMA_VERSION, resultsSchema, type Results } from './schema.js';

export const RESULTS_FILE_NAME = 'results.json';

/** Reads and validates a results.json; every problem is named with its field path. */
export async function readResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new BenchError('SB_RESULTS_INVALID', `cannot read ${path}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BenchError('SB_RESULTS_INVALID', `${path} is not JSON: ${(error as Error).message}`);
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== RESULTS_SCHEMA_VERSION) {
    throw new BenchError(
      'SB_RESULTS_INVALID',
      `${path}: schemaVersion is ${JSON.stringify(version)}; this sidecar-bench reads version ${RESULTS_SCHEMA_VERSION}`,
      [],
      'Re-run the scenario with this version, or use the sidecar-bench version that wrote the file.',
    );
  }
  const parsed = resultsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 12).map((issue) => `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
    if (parsed.error.issues.length > problems.length) problems.push(`… and ${parsed.error.issues.length - problems.length} more`);
    throw new BenchError('SB_RESULTS_INVALID', `${path} is not a valid sidecar-bench results file:`, problems);
  }
  return parsed.data;
}

export async function writeResults(directory: string, results: Results): Promise<string> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, RESULTS_FILE_NAME);
  await writeFile(path, `${JSON.stringify(results, null, 1)}\n`);
  return path;
}
