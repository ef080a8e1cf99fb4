#!/usr/bin/env bash
# Makes a Docker engine reachable on a Debian machine that has none: installs Debian's docker.io
# (and debootstrap, which sidecar-bench uses to make its base image when no registry is reachable),
# then starts dockerd in the background if it is not running. Safe to run twice. Needs root.
set -euo pipefail

log() { printf '[install-docker] %s\n' "$*"; }

engine_reachable() { docker info >/dev/null 2>&1; }

if engine_reachable; then
  log "a Docker engine is already reachable: $(docker version --format '{{.Server.Version}}' 2>/dev/null)"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  log "no Docker engine is reachable and this script needs root to install one: run it with sudo"
  exit 2
fi

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/sidecar-bench-dockerd.log)"
  # Machines like ours run no init system; a plain background daemon is enough.
  nohup dockerd >/var/log/sidecar-bench-dockerd.log 2>&1 &
fi

for _ in $(seq 1 60); do
  if engine_reachable; then
    log "Docker engine ready: $(docker version --format '{{.Server.Version}}')"
    exit 0
  fi
  sleep 1
done
log "dockerd did not become reachable within 60 s; last lines of its log:"
tail -n 20 /var/log/sidecar-bench-dockerd.log >&2 || true
exit 1
