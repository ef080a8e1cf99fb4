#!/bin/sh
# The pod's init container (istio-init's job): applies the interception rules it is given in
# iptables-restore format ($INTERCEPTION_RULES) to the pod's network namespace, prints the
# resulting nat table (and raw table, when the rules have one: conntrack exemptions) for the
# record, and exits.
set -eu
if [ -z "${INTERCEPTION_RULES:-}" ]; then
  echo "install-interception: INTERCEPTION_RULES is empty" >&2
  exit 64
fi
printf '%s\n' "$INTERCEPTION_RULES" | iptables-restore --noflush
iptables-save -t nat
case "$INTERCEPTION_RULES" in *'*raw'*) iptables-save -t raw ;; esac
