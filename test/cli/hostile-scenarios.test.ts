import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const LOAD = 'load: { connections: 1, duration: 1s }\n';
const laughs = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcde'.split('').map((name, index) => `${name}: &${name} [${new Array(9).fill(`*${'abcde'[index]}`).join(', ')}]`), `topologies: [${new Array(9).fill('*e').join(', ')}]`].join('\n');

/**
 * Files a scenario loader meets in the wild or from an attacker, and what the one-screen message
 * must say about each. Before these were handled, the alias cases printed "unexpected error" with a
 * stack trace, the FIFO blocked forever and /dev/zero read until memory ran out.
 */
const CASES: { name: string; file: string | Buffer | 'directory' | 'fifo'; says: string }[] = [
  { name: 'an alias bomb (billion laughs)', file: laughs, says: 'its aliases (*name) expand to more than 100 nodes' },
  { name: 'an alias inside its own anchor', file: `topologies: &t [app-only, *t]\n${LOAD}`, says: 'an alias (*name) refers to a node that contains it' },
  { name: 'an alias to no anchor', file: `topologies: *nope\n${LOAD}`, says: 'Unresolved alias (the anchor must be set before the alias): nope' },
  { name: 'nesting that overflows the parser', file: `topologies: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, says: 'nested too deeply for the YAML parser' },
  { name: 'nesting deeper than any field', file: `topologies: ${'['.repeat(40)}${']'.repeat(40)}\n${LOAD}`, says: 'nested deeper than 32 levels' },
  { name: 'a duplicate key', file: `topologies: [app-only]\ntopologies: [sidecar]\n${LOAD}`, says: ':2:1  Map keys must be unique' },
  { name: 'several YAML documents', file: `topologies: [app-only]\n---\n${LOAD}`, says: 'a scenario is one YAML document; this file has several' },
  { name: 'Latin-1 text', file: Buffer.from('name: caf\xe9\ntopologies: [app-only]\n', 'latin1'), says: 'is not UTF-8 text: byte 9 (line 1) is 0xe9' },
  { name: 'binary bytes', file: Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256)), says: 'is not UTF-8 text: byte 128' },
  { name: 'a file over 1 MiB', file: `# ${'x'.repeat(2 * 1024 * 1024)}\n`, says: 'a scenario file is at most 1048576 bytes (1 MiB)' },
  { name: 'a directory', file: 'directory', says: 'it is a directory; pass a YAML file inside it' },
  { name: 'a FIFO (would block a plain read)', file: 'fifo', says: 'it is not a regular file (a device, FIFO or socket)' },
  { name: 'a list instead of a mapping', file: '- app-only\n- sidecar\n', says: '(top level): expected a mapping of scenario fields (topologies:, load:, …); this file holds a list' },
  { name: 'a bare string', file: 'just a string\n', says: 'this file holds a string' },
  { name: 'a collection as a key', file: `? [a, b]\n: 1\ntopologies: [app-only]\n${LOAD}`, says: '[ a, b ]: unknown field' },
  { name: 'a __proto__ key', file: `__proto__: { trials: 1 }\ntopologies: [app-only]\n${LOAD}`, says: '__proto__: unknown field' },
  { name: 'a NUL byte', file: 'topologies: [app-only]\u0000\n', says: 'Unexpected scalar at node end' },
  { name: 'a number beyond double range', file: `topologies: [app-only]\n${LOAD}trials: 1e400\n`, says: 'trials: expected a whole number from 1 to 100' },
  { name: '500 unknown keys', file: Array.from({ length: 500 }, (_, i) => `k${i}: 1\n`).join(''), says: '… and 481 more' },
  { name: 'a 100 000-character value', file: `topologies: [${'x'.repeat(100_000)}]\n${LOAD}`, says: 'topologies[0]: unknown topology "xxxx' },
  { name: 'an empty file', file: '', says: 'load: missing; expected a load section' },
];

describe('every load-time failure is a clear message (built CLI, hostile scenario files)', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'sidecar-bench-hostile-'));
  });

  it.each(CASES)('$name: one screen naming the file, exit 2, nothing started', async ({ file, says }) => {
    const path = join(work, `case-${CASES.findIndex((entry) => entry.file === file)}.yaml`);
    if (file === 'directory') await mkdir(path);
    else if (file === 'fifo') await execa('mkfifo', [path]);
    else await writeFile(path, file);
    const reports = join(work, `reports-${CASES.findIndex((entry) => entry.file === file)}`);
    const run = await runCli(['run', path, '--reports-dir', reports], { timeoutMs: 60_000 });
    expect(run.timedOut, run.all).toBe(false);
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain(path);
    expect(run.all).toContain(says);
    expect(run.all).not.toContain('unexpected error');
    expect(run.all).not.toMatch(/^\s+at /m);
    expect(run.all).not.toMatch(/Warning:/);
    expect(run.all.split('\n').length).toBeLessThan(26);
    expect(run.all.split('\n').every((line) => line.length < 400)).toBe(true);
    expect(existsSync(reports)).toBe(false);
  });

  it('/dev/zero, a device that never ends, is refused without reading it', async () => {
    const run = await runCli(['run', '/dev/zero', '--reports-dir', join(work, 'reports-zero')], { timeoutMs: 60_000 });
    expect(run.exitCode, run.all).toBe(2);
    expect(run.all).toContain('cannot read scenario /dev/zero: it is not a regular file');
  });
});
