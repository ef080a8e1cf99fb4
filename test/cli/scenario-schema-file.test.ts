import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { PROJECT_DIR } from '../support/cli.js';

describe('schemas/scenario.schema.json (written by npm run build)', () => {
  it('is the schema generated from the loader’s zod schema, byte for byte', async () => {
    const written = await readFile(join(PROJECT_DIR, SCENARIO_SCHEMA_PATH), 'utf8');
    expect(written).toBe(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  });
});
