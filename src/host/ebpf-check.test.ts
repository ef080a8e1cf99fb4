import { describe, expect, it } from 'vitest';
import { judgeFeatureProbe, parseFeatureProbe } from './ebpf-check.js';

const ALL_YES = [
  'btf yes',
  'cgroup2 yes',
  'bpffs yes',
  'load yes: sockops, sk_msg, cgroup/connect4, cgroup/getsockopt programs; sockhash, lru_hash, array maps',
  'sk_msg-attach yes',
  'attach-sockops yes',
  'attach-sockops-origin yes',
  'attach-connect4 yes',
  'attach-getsockopt yes',
];

describe('the eBPF kernel probe', () => {
  it('parses "feature yes|no[: note]" lines and ignores the rest', () => {
    expect(parseFeatureProbe(['btf no (not needed: the programs read UAPI fields only)', 'Warning: bpftool is now running', 'load no: libbpf: prog sb_msg: -EPERM'])).toStrictEqual([
      { feature: 'btf', available: false, note: '(not needed: the programs read UAPI fields only)' },
      { feature: 'load', available: false, note: 'libbpf: prog sb_msg: -EPERM' },
    ]);
  });

  it('passes when every program loads and attaches; BTF is reported, not required', () => {
    expect(judgeFeatureProbe(ALL_YES).missing).toStrictEqual([]);
    expect(judgeFeatureProbe(ALL_YES).summary).toBe(
      'loads and attaches every program (cgroup2, bpffs, load, sk_msg-attach, attach-sockops, attach-sockops-origin, attach-connect4, attach-getsockopt), BTF present',
    );
    expect(judgeFeatureProbe(ALL_YES.map((line) => (line === 'btf yes' ? 'btf no' : line))).missing).toStrictEqual([]);
  });

  it('names what is missing and which topologies need it', () => {
    const judged = judgeFeatureProbe(ALL_YES.map((line) => (line === 'attach-getsockopt yes' ? 'attach-getsockopt no' : line)));
    expect(judged.missing).toStrictEqual(['attach-getsockopt: ebpf-connect and ebpf: cgroup/getsockopt for SO_ORIGINAL_DST']);
    expect(judgeFeatureProbe([]).missing).toStrictEqual(['the loader printed no feature line']);
  });
});
