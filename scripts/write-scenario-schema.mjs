// Writes the scenario JSON Schema (generated from the loader's zod schema, see
// src/scenario/json-schema.ts) where every shipped scenario's yaml-language-server line points.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchema } from '../dist/scenario/json-schema.js';

await mkdir(dirname(SCENARIO_SCHEMA_PATH), { recursive: true });
await writeFile(SCENARIO_SCHEMA_PATH, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
