import { z } from 'zod';
import { closedLoadFileSchema, scenarioFileSchema } from './schema.js';

/** Where the build writes the scenario JSON Schema, relative to the package root. */
export const SCENARIO_SCHEMA_PATH = 'schemas/scenario.schema.json';

type JsonObject = Record<string, unknown>;

/**
 * The JSON Schema (draft 2020-12) of a scenario file, generated from the zod schema the loader
 * uses, on its input side: quantities are strings with units ("10s", "1KiB"), as written in the
 * file. Cross-field checks (a gate on a topology the run lacks, too few trials for a threshold)
 * and unit syntax stay the loader's: an editor flags structure, names and ranges, the loader the rest.
 */
export function scenarioJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(scenarioFileSchema, {
    io: 'input',
    // Preprocess and transform steps cannot be said in JSON Schema; their input side (a string) is.
    unrepresentable: 'any',
    override: (ctx) => {
      const json = ctx.jsonSchema as JsonObject;
      // "model" may be left out of a closed load (the loader fills it in): not required here either.
      if (ctx.zodSchema === closedLoadFileSchema && Array.isArray(json.required)) json.required = json.required.filter((field) => field !== 'model');
      // zod names startsWith a "format" no validator knows; the pattern beside it says the same.
      if (json.format === 'starts_with') delete json.format;
    },
  }) as JsonObject;
  return {
    ...schema,
    // An open load needs a rate unless a sweep sets one per step (the loader's sweepProblems).
    allOf: [{ if: { properties: { sweep: false } }, then: { properties: { load: { if: { type: 'object', properties: { model: { const: 'open' } }, required: ['model'] }, then: { type: 'object', properties: { rate: true }, required: ['rate'] } } } } }],
    title: 'sidecar-bench scenario',
    description: 'A sidecar-bench scenario file (scenarios/quickstart.yaml documents every field). Generated from src/scenario/schema.ts by `npm run build`; do not edit.',
  };
}
