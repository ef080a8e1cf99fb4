import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConntrackStat, parseNetTcp, readConntrackMax, readNetnsSample } from './net-tcp.js';

const PROC = fileURLToPath(new URL('../../test/fixtures/proc-net', import.meta.url));
const fixture = (path: string) => readFile(`${PROC}/${path}`, 'utf8');

describe('parseNetTcp', () => {
  it('counts IPv4 sockets by state (hex st column)', async () => {
    expect(parseNetTcp(await fixture('4242/net/tcp'))).toEqual({ LISTEN: 1, ESTABLISHED: 1, TIME_WAIT: 3, SYN_SENT: 1 });
  });

  it('counts IPv6 sockets (32-hex-digit addresses, v4-mapped included) by state', async () => {
    expect(parseNetTcp(await fixture('4242/net/tcp6'))).toEqual({ LISTEN: 1, ESTABLISHED: 1, CLOSE_WAIT: 1, TIME_WAIT: 1 });
  });

  it('adds tcp6 to tcp when given the same accumulator', async () => {
    const counts = parseNetTcp(await fixture('4242/net/tcp'));
    parseNetTcp(await fixture('4242/net/tcp6'), counts);
    expect(counts).toEqual({ LISTEN: 2, ESTABLISHED: 2, TIME_WAIT: 4, SYN_SENT: 1, CLOSE_WAIT: 1 });
  });

  it('skips the header, blank and torn lines, and unknown states', () => {
    const text = '  sl  local_address rem_address   st\n   0: 0100007F:1F90 00000000:0000 0C 0\n   1: 0100007F:1F91\n\n   2: 0100007F:1F92 00000000:0000 FF 0\n';
    expect(parseNetTcp(text)).toEqual({ NEW_SYN_RECV: 1 });
    expect(parseNetTcp('')).toEqual({});
  });
});

describe('parseConntrackStat', () => {
  it('takes entries from the first CPU line and sums drops over CPUs, by column name', async () => {
    expect(parseConntrackStat(await fixture('4242/net/stat/nf_conntrack'))).toEqual({ entries: 1000, drop: 15, earlyDrop: 2, insertFailed: 6 });
  });

  it('finds columns by name when a kernel orders them otherwise', () => {
    expect(parseConntrackStat('drop entries\n00000002 00000010\n00000001 00000010\n')).toEqual({ entries: 16, drop: 3, earlyDrop: 0, insertFailed: 0 });
  });

  it('is undefined without an entries column', () => {
    expect(parseConntrackStat('something else\n1 2\n')).toBeUndefined();
  });
});

describe('readNetnsSample', () => {
  it('reads tcp, tcp6 and conntrack of a PID’s netns', async () => {
    expect(await readNetnsSample(4242, PROC)).toEqual({
      tcp: { LISTEN: 2, ESTABLISHED: 2, TIME_WAIT: 4, SYN_SENT: 1, CLOSE_WAIT: 1 },
      conntrack: { entries: 1000, drop: 15, earlyDrop: 2, insertFailed: 6 },
    });
  });

  it('works without tcp6 (IPv6 off) and without conntrack', async () => {
    expect(await readNetnsSample(4243, PROC)).toEqual({ tcp: { LISTEN: 1, ESTABLISHED: 1, TIME_WAIT: 3, SYN_SENT: 1 } });
  });

  it('is undefined when the process is gone', async () => {
    expect(await readNetnsSample(999999, PROC)).toBeUndefined();
  });

  it('reads the host conntrack limit, undefined without conntrack', async () => {
    expect(await readConntrackMax(PROC)).toBe(262144);
    expect(await readConntrackMax(`${PROC}/4243`)).toBeUndefined();
  });
});
