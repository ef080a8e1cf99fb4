/**
 * doctor's "interception" check: installs the exact rule set the init container installs
 * (src/interception/iptables.ts, rendered by the same function) in a throwaway network namespace,
 * first part by part (which part fails: the nat table, a chain, REDIRECT in PREROUTING/OUTPUT, the
 * owner match for the proxy's uid/gid), then whole with `iptables-restore --noflush`, which is
 * what istio-init (and our init container) runs and how it would fail.
 *
 * The namespace is a short-lived container of the init image (its own netns, `--network none`,
 * NET_ADMIN + NET_RAW as the init container gets) or, without that image, `unshare --net` on the
 * host. Either way it goes with the check: the container is removed on every path, an unshared
 * namespace dies with its process.
 */
import { IPTABLES_INTERCEPTION } from '../interception/index.js';
import type { CommandResult } from './host-probes.js';
import type { CheckResult, DockerOutcome, HostCheckDeps } from './checks.js';
import { hostUnshareSandbox } from './netns-sandbox.js';

/** One part of the rule set, tried on its own. */
export interface InterceptionStep {
  /** What it is, for a person: "owner match: the proxy's uid 1337 exempt". */
  part: string;
  /** The rule as rendered (the line of iptables-restore input), or the command for non-rule steps. */
  rule: string;
  /** Shell command run in the namespace. */
  command: string;
  /** What to do when this part fails. */
  fix: string;
  /** Judged steps decide the verdict; the reset between the two passes is not judged. */
  kind: 'part' | 'reset' | 'restore';
}

export interface StepResult {
  step: InterceptionStep;
  exitCode: number | undefined;
  output: string;
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

const NAT_FIX = 'Load the kernel NAT support: `modprobe nft_chain_nat` (nf_tables) or `modprobe iptable_nat` (legacy).';
const REDIRECT_FIX = 'Load the REDIRECT target: `modprobe nft_redir` (nf_tables) or `modprobe xt_REDIRECT` (legacy).';
const OWNER_FIX = 'Load the owner match: `modprobe xt_owner` (iptables-nft uses it through nft_compat).';

/** The parts of an iptables-restore rule set for the nat table, each as its own command. */
export function interceptionSteps(rules: string): InterceptionStep[] {
  const steps: InterceptionStep[] = [];
  for (const line of rules.split('\n').map((text) => text.trim())) {
    if (line === '*nat') steps.push({ part: 'the nat table', rule: line, command: 'iptables -t nat -S', fix: NAT_FIX, kind: 'part' });
    const chain = /^:(\S+)\s/.exec(line)?.[1];
    if (chain) steps.push({ part: `chain ${chain} in the nat table`, rule: line, command: `iptables -t nat -N ${quote(chain)}`, fix: NAT_FIX, kind: 'part' });
    if (line.startsWith('-A ')) steps.push({ ...describeRule(line), rule: line, command: `iptables -t nat ${line}`, kind: 'part' });
  }
  steps.push({ part: 'reset between the passes', rule: '', command: 'iptables -t nat -F && iptables -t nat -X', fix: '', kind: 'reset' });
  steps.push({
    part: 'the whole rule set with iptables-restore --noflush, as istio-init applies it',
    rule: '',
    command: `printf '%s' ${quote(rules)} | iptables-restore --noflush`,
    fix: NAT_FIX,
    kind: 'restore',
  });
  return steps;
}

function describeRule(line: string): { part: string; fix: string } {
  const chain = /^-A (\S+)/.exec(line)?.[1] ?? '?';
  const port = /--to-ports (\d+)/.exec(line)?.[1];
  const uid = /--uid-owner (\d+)/.exec(line)?.[1];
  const gid = /--gid-owner (\d+)/.exec(line)?.[1];
  const dport = /--dport (\d+)/.exec(line)?.[1];
  const inbound = chain === 'PREROUTING' || /INBOUND/.test(chain);
  if (port) return { part: `REDIRECT of ${inbound ? 'inbound' : 'outbound'} TCP to port ${port} (nat ${inbound ? 'PREROUTING' : 'OUTPUT'})`, fix: REDIRECT_FIX };
  if (uid) return { part: `owner match: the proxy's uid ${uid} exempt from capture`, fix: OWNER_FIX };
  if (gid) return { part: `owner match: the proxy's gid ${gid} exempt from capture`, fix: OWNER_FIX };
  if (/-o lo\b/.test(line)) return { part: 'loopback-to-loopback traffic exempt from capture', fix: NAT_FIX };
  if (dport) return { part: `inbound port ${dport} exempt from capture`, fix: NAT_FIX };
  const target = /-j (\S+)/.exec(line)?.[1] ?? '?';
  return { part: `TCP from nat ${chain} into ${target}`, fix: NAT_FIX };
}

const MARKER = '@@sb-step';

/** One sh script that runs every step, each output framed by markers, and never stops early. */
export function renderStepScript(steps: readonly InterceptionStep[]): string {
  return steps
    .map((step, index) => `out=$( ${step.command} 2>&1 ); rc=$?; printf '%s\\n' "$out"; printf '${MARKER} ${index} %s\\n' "$rc"`)
    .join('\n');
}

/** Splits the script's output back into one result per step; a step with no marker did not run. */
export function parseStepOutput(output: string, steps: readonly InterceptionStep[]): StepResult[] {
  const results: StepResult[] = [];
  let pending: string[] = [];
  for (const line of output.split('\n')) {
    const marker = new RegExp(`^${MARKER} (\\d+) (\\d+)$`).exec(line.trim());
    if (!marker) {
      pending.push(line);
      continue;
    }
    const step = steps[Number(marker[1])];
    if (step) results.push({ step, exitCode: Number(marker[2]), output: pending.join('\n').trim() });
    pending = [];
  }
  return results;
}

const firstLine = (text: string): string => text.trim().split('\n')[0]?.trim() ?? '';

/** The verdict: ok when every part and the whole restore went in; else the first failing part and how istio-init would fail. */
export function judgeInterception(results: readonly StepResult[], steps: readonly InterceptionStep[], where: string): CheckResult {
  const name = 'interception';
  const judged = steps.filter((step) => step.kind !== 'reset');
  const byStep = new Map(results.map((result) => [result.step, result]));
  const missing = judged.filter((step) => !byStep.has(step));
  if (missing.length > 0) {
    return { name, status: 'fail', detail: `the check stopped before "${missing[0]?.part}" in ${where}`, fix: 'Run `sidecar-bench doctor` again; if it repeats, this is a bug in doctor: please report it.' };
  }
  const parts = judged.filter((step) => step.kind === 'part');
  const firstFailure = parts.map((step) => byStep.get(step) as StepResult).find((result) => result.exitCode !== 0);
  const restore = byStep.get(judged.find((step) => step.kind === 'restore') as InterceptionStep) as StepResult;
  const redirects = parts.filter((step) => step.part.startsWith('REDIRECT')).length;
  const owners = parts.filter((step) => step.part.startsWith('owner match')).length;
  if (!firstFailure && restore.exitCode === 0) {
    return { name, status: 'ok', detail: `the init container's ${parts.length}-part rule set (${redirects} REDIRECT, ${owners} owner matches) installs in ${where}` };
  }
  const istioInit = restore.exitCode === 0 ? 'iptables-restore accepted the whole set' : `istio-init would fail: "${firstLine(restore.output) || `iptables-restore exit code ${restore.exitCode}`}"`;
  if (!firstFailure) return { name, status: 'fail', detail: `every part installs alone, but ${istioInit} (in ${where})`, fix: NAT_FIX };
  const reason = firstLine(firstFailure.output) || `exit code ${firstFailure.exitCode}`;
  const permission = /permission denied|operation not permitted|you must be root/i.test(firstFailure.output);
  const failing = parts.filter((step) => byStep.get(step)?.exitCode !== 0).length;
  return {
    name,
    status: 'fail',
    detail: `${istioInit}; the first part that fails is ${firstFailure.step.part} (\`${firstFailure.step.rule}\`): ${reason}; ${failing} of ${parts.length} parts fail in ${where}`,
    fix: permission ? 'The init container needs CAP_NET_ADMIN (and NET_RAW) in its pod network namespace: an engine or policy that drops it (rootless Docker, a seccomp/AppArmor profile) breaks istio-init the same way.' : firstFailure.step.fix,
  };
}

/** A throwaway network namespace that runs one sh script and is gone afterwards. */
export interface NetnsSandbox {
  /** Where the rules were tried, for the report, e.g. "a container of sidecar-bench/init:0526e3553a35 (own netns, NET_ADMIN)". */
  where: string;
  /** Runs the script in a fresh namespace; removes the namespace on every path. */
  runScript(script: string): Promise<CommandResult>;
}

/** Tries the rendered rules in a sandbox and judges them. */
export async function checkInterceptionIn(sandbox: NetnsSandbox, rules: string): Promise<CheckResult> {
  const steps = interceptionSteps(rules);
  const result = await sandbox.runScript(renderStepScript(steps));
  const stepResults = parseStepOutput(`${result.stdout}\n${result.stderr}`, steps);
  if (stepResults.length === 0) {
    return { name: 'interception', status: 'warn', detail: `could not make a throwaway network namespace (${sandbox.where}): ${firstLine(result.stderr || result.stdout) || `exit code ${result.exitCode}`}`, fix: 'Run doctor as root with a reachable Docker engine (or CAP_SYS_ADMIN for `unshare --net`) to try the interception rules.' };
  }
  return judgeInterception(stepResults, steps, sandbox.where);
}

/** The rules the init container of a sidecar pod gets, from the interception strategy itself. */
export function initContainerRules(): string {
  const rules = IPTABLES_INTERCEPTION.initRules({ side: 'server', hasSidecar: true });
  if (!rules) throw new Error('the iptables interception installs no rules in a sidecar pod');
  return rules;
}

/**
 * doctor's check: the init image in a container when one has been built (exactly what a pod's init
 * step runs), else the host's iptables in `unshare --net` (root only).
 */
export async function checkInterception(deps: HostCheckDeps, docker: DockerOutcome): Promise<CheckResult> {
  const rules = initContainerRules();
  const containerSandbox = docker.reachable ? await docker.probe.initSandbox() : undefined;
  if (containerSandbox) return checkInterceptionIn(containerSandbox, rules);
  const [iptables, unshare] = await Promise.all([deps.findExecutable('iptables'), deps.findExecutable('unshare')]);
  if (deps.uid === 0 && iptables && unshare) {
    const variant = firstLine((await deps.run(iptables, ['-V'])).stdout) || 'iptables';
    return checkInterceptionIn(hostUnshareSandbox(deps.run, unshare, variant), rules);
  }
  return {
    name: 'interception',
    status: 'warn',
    detail: 'not checked: no init image built yet, and the host cannot make a namespace (needs root, iptables and unshare)',
    fix: 'Run `sidecar-bench images` (builds the init image), then doctor again.',
  };
}
