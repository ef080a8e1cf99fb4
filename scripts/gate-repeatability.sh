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

# One gated run against the baseline; prints its line and returns its exit code.
gate_run() {
  local label=$1 scenario=$2 dir=$3
  cli run "$scenario" --reports-dir "$dir" --baseline "$baseline" > "$dir.log" 2>&1
  local code=$?
  local summary="$(latest "$dir")summary.md"
  local counts failed
  counts=$(sed -n 3p "$summary" | sed 's/ · scenario.*//')
  failed=$(grep -o '^| ❌ | [^|]*' "$summary" | sed 's/^| ❌ | //' | paste -sd ';' -)
  echo "$label: exit $code  $counts  failed: ${failed:-none}"
  return $code
}

aa_pass=0
for i in $(seq 1 "$aa_runs"); do
  gate_run "A/A $i" scenarios/gate-check.yaml "$work/aa-$i" && aa_pass=$((aa_pass + 1))
done

caught=0
for i in $(seq 1 "$regression_runs"); do
  gate_run "regression $i" "$work/regressed.yaml" "$work/regressed-$i"
  [[ $? -eq 1 ]] && caught=$((caught + 1))
done

echo
echo "A/A: $aa_pass of $aa_runs passed (goal: at least $((aa_runs * 9 / 10)))"
echo "1 ms regression: $caught of $regression_runs failed the gate (goal: all)"
echo "logs and reports: $work"
