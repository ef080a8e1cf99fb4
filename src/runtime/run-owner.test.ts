import { describe, expect, it } from 'vitest';
import { currentRunOwner, ownerFromLabels, ownerLabels, ownerState, parseStartTicks, realProc, type ProcView } from './run-owner.js';

// A real /proc/PID/stat line, with a command name holding a space and a ")".
const STAT = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 1234 0 0 0 10 5 0 0 20 0 11 0 987654 1000000 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';

function fakeProc(files: Record<string, string>, host = 'bench-1'): ProcView {
  return { read: (path) => files[path], hostname: () => host };
}

const BOOT = '0c1d2e3f-0000-4000-8000-000000000001';
const owner = { host: 'bench-1', bootId: BOOT, pid: 4242, startTicks: 987654 };

describe('parseStartTicks', () => {
  it('reads field 22 after a command name with spaces and parentheses', () => {
    expect(parseStartTicks(STAT)).toBe(987654);
  });

  it('reads this process', () => {
    expect(currentRunOwner().pid).toBe(process.pid);
    expect(currentRunOwner().startTicks).toBeGreaterThan(0);
  });
});

describe('owner labels', () => {
  it('round-trip, and anything missing or malformed reads as no owner', () => {
    expect(ownerFromLabels(ownerLabels(owner))).toEqual(owner);
    expect(ownerFromLabels({ ...ownerLabels(owner), 'io.sidecar-bench.owner-pid': 'x' })).toBeUndefined();
    expect(ownerFromLabels({ 'io.sidecar-bench.run-id': 'r' })).toBeUndefined();
  });
});

describe('ownerState', () => {
  const bootFile = { '/proc/sys/kernel/random/boot_id': `${BOOT}\n` };

  it('alive: the same pid with the same start time on this boot of this host', () => {
    expect(ownerState(owner, fakeProc({ ...bootFile, '/proc/4242/stat': STAT }))).toEqual({ state: 'alive', reason: 'in use by a live run (pid 4242)' });
  });

  it('gone: the pid has exited', () => {
    expect(ownerState(owner, fakeProc(bootFile))).toEqual({ state: 'gone', reason: 'its process (pid 4242) has exited' });
  });

  it('gone: the pid was reused by a process that started later', () => {
    const reused = STAT.replace(' 987654 ', ' 987999 ');
    expect(ownerState(owner, fakeProc({ ...bootFile, '/proc/4242/stat': reused })).reason).toBe('its process (pid 4242) has exited; that pid now belongs to another process');
  });

  it('gone: the machine rebooted since, even if the pid and start time happen to match', () => {
    const state = ownerState(owner, fakeProc({ '/proc/sys/kernel/random/boot_id': 'another-boot\n', '/proc/4242/stat': STAT }));
    expect(state).toEqual({ state: 'gone', reason: 'its process (pid 4242) ran before this machine last booted' });
  });

  it('unknown: another host, or no owner labels, is never taken for an orphan', () => {
    expect(ownerState(owner, fakeProc(bootFile, 'bench-2')).state).toBe('unknown');
    expect(ownerState(undefined, fakeProc(bootFile)).state).toBe('unknown');
  });

  it('sees this very process as alive on the real /proc', () => {
    expect(ownerState(currentRunOwner(), realProc).state).toBe('alive');
  });
});
