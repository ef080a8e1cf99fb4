#!/bin/sh
# sidecar-bench's eBPF loader, run as a short-lived container (SYS_ADMIN + NET_ADMIN, seccomp
# unconfined, host cgroup namespace) with the run's own bpffs volume at /sys/fs/bpf.
#
#   sb-bpf setup    ARM  KIND=CGROUP...  load the object under /sys/fs/bpf/ARM, attach sk_msg to the
#                                        sockhash, attach each KIND (sockops|sockops-origin|connect4|
#                                        getsockopt) to
#                                        the cgroup v2 directory CGROUP (e.g. docker/<id>)
#   sb-bpf counters ARM...               print each ARM's counters: "ARM index value" per line
#   sb-bpf teardown ARM  KIND=CGROUP...  detach what setup attached (a vanished cgroup is no error),
#                                        detach sk_msg, unpin everything under /sys/fs/bpf/ARM
#   sb-bpf cgroups  CGROUP...            list every program attached to each cgroup ("-" when none)
#   sb-bpf features                      probe the kernel for the program and map types used
#   sb-bpf inventory                     every BPF program, map and link on the host and every cgroup
#                                        attachment, as one JSON document per line (for tests/doctor)
set -eu
PIN=/sys/fs/bpf
OBJ=/opt/sidecar-bench/sidecar.bpf.o
CG=/run/sb-cgroup2

mount_cgroup2() {
  mkdir -p "$CG"
  mountpoint -q "$CG" || mount -t cgroup2 none "$CG"
}

attach_type() {
  case "$1" in
    sockops|sockops-origin) echo sock_ops ;;
    connect4) echo connect4 ;;
    getsockopt) echo getsockopt ;;
    *) echo "sb-bpf: unknown program kind $1" >&2; exit 64 ;;
  esac
}

prog_of() {
  case "$1" in
    sockops) echo sb_sockops ;;
    sockops-origin) echo sb_sockops_origin ;;
    connect4) echo sb_connect4 ;;
    getsockopt) echo sb_getsockopt ;;
  esac
}

command=${1:-}
[ -n "$command" ] || { echo "sb-bpf: no command" >&2; exit 64; }
shift
case "$command" in
  setup)
    arm=$1; shift
    mount_cgroup2
    dir="$PIN/$arm"
    mkdir -p "$dir"
    bpftool prog loadall "$OBJ" "$dir/progs" pinmaps "$dir/maps"
    bpftool prog attach pinned "$dir/progs/sb_msg" msg_verdict pinned "$dir/maps/sb_sockhash"
    for spec in "$@"; do
      kind=${spec%%=*}; cgroup=${spec#*=}
      bpftool cgroup attach "$CG/$cgroup" "$(attach_type "$kind")" pinned "$dir/progs/$(prog_of "$kind")" multi
      echo "attached $kind $cgroup"
    done
    ;;
  counters)
    for arm in "$@"; do
      bpftool -j map dump pinned "$PIN/$arm/maps/sb_counters" | sed "s|^|$arm |"
      echo
    done
    ;;
  teardown)
    arm=$1; shift
    mount_cgroup2
    dir="$PIN/$arm"
    status=0
    for spec in "$@"; do
      kind=${spec%%=*}; cgroup=${spec#*=}
      if [ -d "$CG/$cgroup" ] && [ -e "$dir/progs/$(prog_of "$kind")" ]; then
        bpftool cgroup detach "$CG/$cgroup" "$(attach_type "$kind")" pinned "$dir/progs/$(prog_of "$kind")" || status=1
      fi
    done
    if [ -e "$dir/progs/sb_msg" ] && [ -e "$dir/maps/sb_sockhash" ]; then
      bpftool prog detach pinned "$dir/progs/sb_msg" msg_verdict pinned "$dir/maps/sb_sockhash" || status=1
    fi
    rm -rf "$dir"
    exit $status
    ;;
  cgroups)
    mount_cgroup2
    for cgroup in "$@"; do
      if [ -d "$CG/$cgroup" ]; then
        out=$(bpftool cgroup show "$CG/$cgroup" | tail -n +2)
        echo "$cgroup ${out:--}" | tr '\n' ' '; echo
      else
        echo "$cgroup gone"
      fi
    done
    ;;
  inventory)
    mount_cgroup2
    printf 'progs '; bpftool -j prog show; echo
    printf 'maps '; bpftool -j map show; echo
    printf 'links '; bpftool -j link show; echo
    printf 'cgroups '; bpftool -j cgroup tree "$CG"; echo
    ;;
  features)
    # Loads the real object and attaches every program to a throwaway cgroup: what a run needs,
    # proved on this kernel (bpftool's own feature probe needs CAP_BPF, which Docker 20.10 cannot grant).
    [ -r /sys/kernel/btf/vmlinux ] && echo "btf yes" || echo "btf no (not needed: the programs read UAPI fields only)"
    if mount_cgroup2 2>/dev/null; then echo "cgroup2 yes"; else echo "cgroup2 no: cannot mount cgroup2"; exit 0; fi
    mountpoint -q "$PIN" || mount -t bpf bpf "$PIN" 2>/dev/null || { echo "bpffs no: cannot mount bpffs"; exit 0; }
    echo "bpffs yes"
    dir="$PIN/sb-probe-$$"
    mkdir -p "$dir"
    if ! log=$(bpftool prog loadall "$OBJ" "$dir/progs" pinmaps "$dir/maps" 2>&1); then
      echo "load no: $(printf '%s\n' "$log" | grep -vE '^(Warning|If it used)' | tail -n 3 | tr '\n' ' ')"
      rm -rf "$dir"; exit 0
    fi
    echo "load yes: sockops, sk_msg, cgroup/connect4, cgroup/getsockopt programs; sockhash, lru_hash, array maps"
    if bpftool prog attach pinned "$dir/progs/sb_msg" msg_verdict pinned "$dir/maps/sb_sockhash" 2>/dev/null; then
      echo "sk_msg-attach yes"
      bpftool prog detach pinned "$dir/progs/sb_msg" msg_verdict pinned "$dir/maps/sb_sockhash" 2>/dev/null || true
    else
      echo "sk_msg-attach no"
    fi
    probe="$CG/sidecar-bench-probe-$$"
    mkdir -p "$probe"
    for kind in sockops sockops-origin connect4 getsockopt; do
      if bpftool cgroup attach "$probe" "$(attach_type "$kind")" pinned "$dir/progs/$(prog_of "$kind")" multi 2>/dev/null; then
        echo "attach-$kind yes"
        bpftool cgroup detach "$probe" "$(attach_type "$kind")" pinned "$dir/progs/$(prog_of "$kind")" 2>/dev/null || true
      else
        echo "attach-$kind no"
      fi
    done
    rmdir "$probe"
    rm -rf "$dir"
    ;;
  *)
    echo "sb-bpf: unknown command $command" >&2; exit 64 ;;
esac
