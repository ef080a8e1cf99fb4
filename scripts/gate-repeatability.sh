#!/usr/bin/env bash
# How often does the gate cry wolf on this runner, and does it catch a real regression?
# Runs scenarios/gate-check.yaml once as the baseline, then N times as an unchanged candidate
# (A/A: every one should pass) and M times with a known 1 ms regression in the sidecar (every one
# should fail, naming the metric). Prints one line per gate run and the tallies.
# Usage: scripts/gate-repeatability.sh [N=10] [M=5]      (needs the Docker engine; root)
set -uo pipefail
cd "$(dirname "$0")/.."
aa_runs=${1:-10}
regression_runs=${2:-5}
work=$(mktemp -d /tmp/sidecar-bench-gate-XXXXXX)
sed 's/^  workerThreads: 1$/  workerThreads: 1\n  addedDelay: 1ms/' scenarios/gate-check.yaml > "$work/regressed.yaml"
grep -q 'addedDelay: 1ms' "$work/regressed.yaml" || { echo "could not make the regressed scenario" >&2; exit 2; }

cli() { node bin/sidecar-bench.js "$@"; }
latest() { ls -d "$1"/*/ | tail -n 1; }

echo "baseline run …"
cli run scenarios/gate-check.yaml --reports-dir "$work/baseline" > "$work/baseline.log" 2>&1 || { tail -20 "$work/baseline.log"; exit 2; }
baseline="$(latest "$work/baseline")results.json"

aa_pass=0
for i in $(seq 1 "$aa_runs"); do
  cli run scenarios/gate-check.yaml --reports-dir "$work/aa-$i" --baseline "$baseline" > "$work/aa-$i.log" 2>&1
  code=$?
  summary="$(latest "$work/aa-$i")summary.md"
  counts=$(sed -n 3p "$summary" | sed 's/ · scenario.*//')
  failed=$(grep -o '^| ❌ | [^|]*' "$summary" | sed 's/^| ❌ | //' | paste -sd ';' -)
  echo "A/A $i: exit $code  $counts  ${failed:+failed: $failed}"
  [[ $code -eq 0 ]] && aa_pass=$((aa_pass + 1))
done

caught=0
for i in $(seq 1 "$regression_runs"); do
  cli run "$work/regressed.yaml" --reports-dir "$work/regressed-$i" --baseline "$baseline" > "$work/regressed-$i.log" 2>&1
  code=$?
  summary="$(latest "$work/regressed-$i")summary.md"
  counts=$(sed -n 3p "$summary" | sed 's/ · scenario.*//')
  failed=$(grep -o '^| ❌ | [^|]*' "$summary" | sed 's/^| ❌ | //' | paste -sd ';' -)
  echo "regression $i: exit $code  $counts  failed: ${failed:-none}"
  [[ $code -eq 1 ]] && caught=$((caught + 1))
done

echo
echo "A/A: $aa_pass of $aa_runs passed (goal: at least $((aa_runs * 9 / 10)))"
echo "1 ms regression: $caught of $regression_runs failed the gate (goal: all)"
echo "logs and reports: $work"
