import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { renderInterceptionRules } from '../interception/index.js';
import type { CommandResult } from './host-probes.js';
import { checkInterceptionIn, initContainerRules, interceptionSteps, judgeInterception, parseStepOutput, renderStepScript, type NetnsSandbox } from './interception-check.js';

const RULES = renderInterceptionRules();

/**
 * Runs the real step script with `sh`, with iptables and iptables-restore replaced by shell
 * functions: `failOn` makes every iptables call whose arguments contain it fail like a kernel
 * without that feature.
 */
const sq = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function shellSandbox(failOn?: { pattern: string; message: string }, restoreMessage = 'iptables-restore: line 9 failed'): NetnsSandbox {
  const fake = failOn
    ? `iptables() { case "$*" in *${failOn.pattern}*) printf '%s\\n' ${sq(failOn.message)} >&2; return 1;; esac; return 0; }\niptables_restore() { cat >/dev/null; printf '%s\\n' ${sq(restoreMessage)} >&2; return 2; }`
    : 'iptables() { return 0; }\niptables_restore() { cat >/dev/null; return 0; }';
  return {
    where: 'a test shell',
    runScript: async (script): Promise<CommandResult> => {
      const result = await execa('sh', ['-c', `${fake}\n${script.replace(/iptables-restore/g, 'iptables_restore')}`], { reject: false });
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    },
  };
}

describe('interceptionSteps', () => {
  it('splits the init container’s rule set into its parts, then the whole restore', () => {
    const steps = interceptionSteps(RULES);
    expect(steps.map((step) => [step.kind, step.part])).toEqual([
      ['part', 'the nat table'],
      ['part', 'chain SIDECAR_INBOUND in the nat table'],
      ['part', 'chain SIDECAR_OUTBOUND in the nat table'],
      ['part', 'TCP from nat PREROUTING into SIDECAR_INBOUND'],
      ['part', 'REDIRECT of inbound TCP to port 15006 (nat PREROUTING)'],
      ['part', 'TCP from nat OUTPUT into SIDECAR_OUTBOUND'],
      ['part', "owner match: the proxy's uid 1337 exempt from capture"],
      ['part', "owner match: the proxy's gid 1337 exempt from capture"],
      ['part', 'loopback-to-loopback traffic exempt from capture'],
      ['part', 'REDIRECT of outbound TCP to port 15001 (nat OUTPUT)'],
      ['reset', 'reset between the passes'],
      ['restore', 'the whole rule set with iptables-restore --noflush, as istio-init applies it'],
    ]);
    expect(steps[6]?.command).toBe('iptables -t nat -A SIDECAR_OUTBOUND -m owner --uid-owner 1337 -j RETURN');
    // The restore step feeds exactly the rendered rules.
    expect(steps.at(-1)?.command).toBe(`printf '%s' '${RULES}' | iptables-restore --noflush`);
  });

  it('uses the same rules the init container of a sidecar pod gets', () => {
    expect(initContainerRules()).toBe(RULES);
  });
});

describe('the step script', () => {
  it('runs every step and frames each output, even after a failure', async () => {
    const steps = interceptionSteps(RULES);
    const sandbox = shellSandbox({ pattern: '--uid-owner', message: "iptables v1.8.9 (nf_tables): Couldn't load match `owner':No such file or directory" });
    const result = await sandbox.runScript(renderStepScript(steps));
    const parsed = parseStepOutput(`${result.stdout}\n${result.stderr}`, steps);
    expect(parsed.map((step) => step.exitCode)).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2]);
    expect(parsed[6]?.output).toBe("iptables v1.8.9 (nf_tables): Couldn't load match `owner':No such file or directory");
  });
});

describe('judgeInterception (through the real script)', () => {
  it('is ok when every part and the whole set install', async () => {
    expect(await checkInterceptionIn(shellSandbox(), RULES)).toEqual({
      name: 'interception',
      status: 'ok',
      detail: "the init container's 10-part rule set (2 REDIRECT, 2 owner matches) installs in a test shell",
    });
  });

  it('names the owner match when the kernel lacks it, with istio-init’s own failure', async () => {
    const check = await checkInterceptionIn(shellSandbox({ pattern: '--uid-owner', message: "iptables v1.8.9 (nf_tables): Couldn't load match `owner':No such file or directory" }), RULES);
    expect(check).toEqual({
      name: 'interception',
      status: 'fail',
      detail:
        "istio-init would fail: \"iptables-restore: line 9 failed\"; the first part that fails is owner match: the proxy's uid 1337 exempt from capture (`-A SIDECAR_OUTBOUND -m owner --uid-owner 1337 -j RETURN`): iptables v1.8.9 (nf_tables): Couldn't load match `owner':No such file or directory; 1 of 10 parts fail in a test shell",
      fix: 'Load the owner match: `modprobe xt_owner` (iptables-nft uses it through nft_compat).',
    });
  });

  it('names REDIRECT when the target is missing', async () => {
    const check = await checkInterceptionIn(shellSandbox({ pattern: 'REDIRECT', message: 'iptables: No chain/target/match by that name.' }), RULES);
    expect(check.detail).toContain('the first part that fails is REDIRECT of inbound TCP to port 15006 (nat PREROUTING)');
    expect(check.detail).toContain('2 of 10 parts fail');
    expect(check.fix).toContain('xt_REDIRECT');
  });

  it('blames the missing capability when iptables is refused', async () => {
    const check = await checkInterceptionIn(shellSandbox({ pattern: 'nat', message: 'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)' }), RULES);
    expect(check.status).toBe('fail');
    expect(check.detail).toContain('the first part that fails is the nat table');
    expect(check.fix).toContain('CAP_NET_ADMIN');
  });

  it('fails when the parts install but the whole restore does not', () => {
    const steps = interceptionSteps(RULES);
    const results = steps.map((step) => ({ step, exitCode: step.kind === 'restore' ? 1 : 0, output: step.kind === 'restore' ? 'iptables-restore: line 2 failed' : '' }));
    expect(judgeInterception(results, steps, 'x')).toMatchObject({ status: 'fail', detail: 'every part installs alone, but istio-init would fail: "iptables-restore: line 2 failed" (in x)' });
  });

  it('warns when no namespace could be made, and fails when the script stopped part-way', async () => {
    const noNamespace: NetnsSandbox = { where: 'unshare', runScript: async () => ({ exitCode: 1, stdout: '', stderr: 'unshare: unshare failed: Operation not permitted' }) };
    expect(await checkInterceptionIn(noNamespace, RULES)).toMatchObject({ status: 'warn', detail: 'could not make a throwaway network namespace (unshare): unshare: unshare failed: Operation not permitted' });
    const steps = interceptionSteps(RULES);
    expect(judgeInterception(parseStepOutput('@@sb-step 0 0\n', steps), steps, 'x')).toMatchObject({ status: 'fail', detail: 'the check stopped before "chain SIDECAR_INBOUND in the nat table" in x' });
  });
});
