/**
 * doctor's eBPF probe: the ebpf image's loader (docker/ebpf/sb-bpf.sh `features`) loads the real
 * object and attaches each program to a throwaway cgroup, in a short-lived container with the
 * capabilities a run gives it. What it prints ("cgroup2 yes", "load no: …", "attach-connect4 yes")
 * is judged here: anything missing is named, with what needs it.
 */

/** One line of the loader's feature probe. */
export interface FeatureLine {
  feature: string;
  available: boolean;
  /** The rest of the line ("not needed: …", the verifier's last words). */
  note: string;
}

/** Parses "feature yes|no[: note]" lines; other lines are ignored. */
export function parseFeatureProbe(lines: readonly string[]): FeatureLine[] {
  return lines.flatMap((line) => {
    const match = /^(\S+) (yes|no)\b:? ?(.*)$/.exec(line.trim());
    return match ? [{ feature: match[1] as string, available: match[2] === 'yes', note: match[3] ?? '' }] : [];
  });
}

/** What each probed feature is for, to name in a missing-feature message. */
const NEEDED_FOR: Record<string, string> = {
  cgroup2: 'every eBPF program attaches to the pods’ cgroup v2 directories',
  bpffs: 'the run pins its programs and maps in its own bpffs',
  load: 'the verifier must accept the programs (sockops, sk_msg, cgroup/connect4, cgroup/getsockopt; netns cookies need kernel 5.15+)',
  'sk_msg-attach': 'ebpf-sockmap and ebpf: sk_msg on the sockhash',
  'attach-sockops': 'ebpf-sockmap and ebpf: sockops on the pods’ cgroups',
  'attach-sockops-origin': 'ebpf-connect: sockops bookkeeping of original destinations',
  'attach-connect4': 'ebpf-connect and ebpf: cgroup/connect4',
  'attach-getsockopt': 'ebpf-connect and ebpf: cgroup/getsockopt for SO_ORIGINAL_DST',
};

/** The probe's verdict: the features that are missing (empty: every eBPF topology can run), and a one-line summary. */
export function judgeFeatureProbe(lines: readonly string[]): { missing: string[]; summary: string } {
  const features = parseFeatureProbe(lines);
  if (features.length === 0) return { missing: ['the loader printed no feature line'], summary: 'probe said nothing' };
  const missing = features
    .filter((line) => !line.available && line.feature !== 'btf')
    .map((line) => `${line.feature}${line.note ? ` (${line.note})` : ''}: ${NEEDED_FOR[line.feature] ?? 'needed by the ebpf topologies'}`);
  const btf = features.find((line) => line.feature === 'btf');
  const probed = features.filter((line) => line.feature !== 'btf').map((line) => line.feature);
  const summary = missing.length === 0 ? `loads and attaches every program (${probed.join(', ')})${btf ? `, BTF ${btf.available ? 'present' : 'absent (not needed)'}` : ''}` : `missing: ${missing.join('; ')}`;
  return { missing, summary };
}
