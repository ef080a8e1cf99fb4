import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conntrackFullByPod, netnsInode, parseKmsgRecord, readKernelLog, watchKernelLog } from './kernel-log.js';

// Records as /dev/kmsg returns them on kernel 6.18 (one per read).
const FULL = '4,18591,24880991578,-;nf_conntrack: nf_conntrack: table full in netns 4026532510, dropping packet\n';
const OTHER_NETNS = '4,18592,24880992616,-;nf_conntrack: nf_conntrack: table full in netns 4026530000, dropping packet\n';
const BRIDGE = '6,18720,25008787667,-;br-ae810f3031cc: port 3(veth3e395d0) entered disabled state\n SUBSYSTEM=net\n';
const OLD_KERNEL = '4,18593,24880993000,-;nf_conntrack: table full, dropping packet\n';

describe('kernel log: conntrack table full, per pod', () => {
  it('parses /dev/kmsg records (sequence, µs since boot, message without its continuation lines)', () => {
    expect(parseKmsgRecord(FULL)).toEqual({ seq: 18591, usec: 24880991578, message: 'nf_conntrack: nf_conntrack: table full in netns 4026532510, dropping packet' });
    expect(parseKmsgRecord(BRIDGE)?.message).toBe('br-ae810f3031cc: port 3(veth3e395d0) entered disabled state');
    expect(parseKmsgRecord('no record here')).toBeUndefined();
  });

  it('attributes the messages after a sequence number to the pod whose netns they name; others are ignored', () => {
    const records = [FULL, OTHER_NETNS, BRIDGE, OLD_KERNEL, FULL.replace('18591', '18600')].map((text) => parseKmsgRecord(text)!);
    const pods = new Map([['4026532510', 'conntrack-full-server']]);
    expect(conntrackFullByPod(records, 18590, pods)).toEqual([
      {
        pod: 'conntrack-full-server',
        netns: '4026532510',
        tableFullMessages: 2,
        lines: ['[24880.991578] nf_conntrack: nf_conntrack: table full in netns 4026532510, dropping packet', '[24880.991578] nf_conntrack: nf_conntrack: table full in netns 4026532510, dropping packet'],
      },
    ]);
    expect(conntrackFullByPod(records, 18600, pods)).toEqual([]);
  });

  it('reads a log file to its end, and gives up quietly where the log cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-kmsg-'));
    // A regular file returns everything in one read: the first record is what a reader of it gets.
    writeFileSync(join(dir, 'kmsg'), FULL);
    expect(readKernelLog(join(dir, 'kmsg'))).toMatchObject([{ seq: 18591 }]);
    expect(watchKernelLog([], join(dir, 'missing'))).toBeUndefined();
    expect(netnsInode(process.pid)).toMatch(/^\d+$/);
    expect(netnsInode(2 ** 22 + 1)).toBeUndefined();
  });
});
