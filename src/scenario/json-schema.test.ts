import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchema } from './json-schema.js';
import { parseScenario } from './load-scenario.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Every scenario shipped, in any subfolder: scenarios other helpers add are covered too.
const SCENARIOS = (await readdir(join(ROOT, 'scenarios'), { recursive: true }))
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => join('scenarios', file))
  .sort();
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(scenarioJsonSchema());
const errorsOf = () => (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);

describe('the scenario JSON Schema (generated from the loader’s zod schema)', () => {
  it('is found for at least the four scenarios this project started with', () => {
    expect(SCENARIOS).toEqual(expect.arrayContaining(['scenarios/quickstart.yaml', 'scenarios/mtls.yaml', 'scenarios/calibrate.yaml', 'scenarios/gate-check.yaml']));
  });

  it.each(SCENARIOS)('%s names the schema on its first line, and the schema and the loader both accept it', async (file) => {
    const text = await readFile(join(ROOT, file), 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${relative(dirname(file), SCENARIO_SCHEMA_PATH)}`);
    expect(validate(parse(text)), errorsOf().join('; ')).toBe(true);
    expect(() => parseScenario(text, file)).not.toThrow();
  });

  it('accepts what the loader fills in: a closed load without model, no trials, no gates', () => {
    expect(validate(parse('topologies: [app-only]\nload: { connections: 4, duration: 2s }\n')), errorsOf().join('; ')).toBe(true);
    expect(validate(parse('topologies: [app-only]\nload: { model: open, rate: 1000/s, duration: 2s }\n')), errorsOf().join('; ')).toBe(true);
  });

  it.each([
    ['an unknown field', 'topologies: [app-only]\nload: { connections: 4, duration: 2s }\ncolour: blue\n', 'must NOT have additional properties'],
    ['an unknown topology', 'topologies: [app-only, sidcar]\nload: { connections: 4, duration: 2s }\n', '/topologies/1 must be equal to one of the allowed values'],
    ['no load', 'topologies: [app-only]\n', "must have required property 'load'"],
    ['connections as a word', 'topologies: [app-only]\nload: { connections: ten, duration: 2s }\n', '/load/connections must be integer'],
    ['a duration as a bare number', 'topologies: [app-only]\nload: { connections: 4, duration: 10 }\n', '/load/duration must be string'],
    ['an open load without rate', 'topologies: [app-only]\nload: { model: open, duration: 2s }\n', "must have required property 'rate'"],
    ['zero trials', 'topologies: [app-only]\nload: { connections: 4, duration: 2s }\ntrials: 0\n', '/trials must be >= 1'],
    ['an unknown gate metric', 'topologies: [app-only]\nload: { connections: 4, duration: 2s }\ngates: { thresholds: [{ metric: speed, max: 1 }] }\n', '/gates/thresholds/0/metric must be equal to one of the allowed values'],
    ['an unknown proxy profile', 'topologies: [app-only]\nproxy: { profile: nginx }\nload: { connections: 4, duration: 2s }\n', '/proxy/profile must be equal to one of the allowed values'],
  ])('rejects %s, as the loader does', (_name, text, error) => {
    expect(validate(parse(text))).toBe(false);
    expect(errorsOf().join('; ')).toContain(error);
    expect(() => parseScenario(text, 'broken.yaml')).toThrow(/is not a valid scenario/);
  });
});
