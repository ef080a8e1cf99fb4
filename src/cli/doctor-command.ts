/**
 * `sidecar-bench doctor`: checks that this machine can run the benchmark and that its figures will
 * be comparable, and says how to fix what is not.
 */
import type { Command } from 'commander';
import { connectDocker } from '../runtime/docker-env.js';
import { defaultProxyCheckDeps, runProxyChecks } from '../proxies/checks.js';
import { defaultHostCheckDeps, runHostChecks, type CheckResult, type CheckStatus, type HostCheckDeps } from '../host/index.js';

/** Where doctor writes (process.stdout, or a buffer in tests). */
export interface DoctorOutput {
  write(text: string): unknown;
}

/** Exit code when no check fails (warnings allowed). */
export const DOCTOR_EXIT_OK = 0;
/** Exit code when a check fails: a run could not be made here. */
export const DOCTOR_EXIT_FAILED = 2;

const SYMBOLS: Record<CheckStatus, string> = { ok: '✔', warn: '!', fail: '✖' };

/** Width the check names are padded to, so details line up. */
const NAME_WIDTH_CHARS = 14;

/** One check as printed: "✔ name  detail", plus an indented "fix: …" line when it warns or fails. */
export function renderCheck(check: CheckResult): string {
  const head = `${SYMBOLS[check.status]} ${check.name.padEnd(NAME_WIDTH_CHARS)} ${check.detail}\n`;
  return check.status === 'ok' ? head : `${head}    fix: ${check.fix}\n`;
}

/** The closing line: counts per status. */
export function renderSummary(checks: readonly CheckResult[]): string {
  const count = (status: CheckStatus): number => checks.filter((check) => check.status === status).length;
  return `${count('ok')} ok, ${count('warn')} warning(s), ${count('fail')} failure(s)\n`;
}

/**
 * Runs every host check, prints them to `out`, and returns the exit code:
 * {@link DOCTOR_EXIT_OK} when none fails, {@link DOCTOR_EXIT_FAILED} when one does.
 * @param deps Overrides for the real host (see {@link HostCheckDeps}); undefined: the real host.
 */
export async function runDoctor(deps: Partial<HostCheckDeps> | undefined, out: DoctorOutput, proxyChecks?: () => Promise<CheckResult[]>): Promise<number> {
  const checks = [...(await runHostChecks({ ...defaultHostCheckDeps(), ...deps })), ...((await proxyChecks?.()) ?? [])];
  for (const check of checks) out.write(renderCheck(check));
  out.write(renderSummary(checks));
  return checks.some((check) => check.status === 'fail') ? DOCTOR_EXIT_FAILED : DOCTOR_EXIT_OK;
}

/** Adds `doctor` to the program; its action sets process.exitCode. */
export function registerDoctorCommand(program: Command): Command {
  return program
    .command('doctor')
    .description('check this machine: Docker engine, kernel, iptables nat, BPF, AES-NI/AVX2, cores, base image, disk, resources left by killed runs, Envoy image routes, linkerd2-proxy; say how to fix what is missing')
    .action(async () => {
      process.exitCode = await runDoctor(undefined, process.stdout, realProxyChecks);
    });
}

/** The proxy checks on this machine (the Envoy image routes, linkerd2-proxy); Docker may be unreachable. */
async function realProxyChecks(): Promise<CheckResult[]> {
  const dockerode = await connectDocker().then((connected) => connected.dockerode, () => undefined);
  return runProxyChecks(defaultProxyCheckDeps(dockerode));
}
