#!/usr/bin/env bash
# Does the adaptive (sequential) gate decide, without crying wolf, and catch a real regression?
# Same-run comparisons of scenarios/gate-check-adaptive.yaml (gates.rounds: 6…30): N A/A runs
# (the configuration interleaved with itself: every check should decide and pass) and M runs whose
# candidate adds a known 1 ms delay in the sidecar (each should fail, naming the metric). Prints one
# line per run (exit code, verdict counts, rounds used and why, wall time) and the tallies against
# the goals: A/A at most 1 failure in 10 with at most 10 % of checks inconclusive; 1 ms caught every time.
# Then `sidecar-bench tolerances` on the longest A/A run: the tolerances this machine can decide.
# Usage: scripts/gate-decisiveness.sh [N=10] [M=5]      (needs the Docker engine; root)
set -uo pipefail
cd "$(dirname "$0")/.."
aa_runs=${1:-10}
regression_runs=${2:-5}
scenario=scenarios/gate-check-adaptive.yaml
work=$(mktemp -d /tmp/sidecar-bench-decisive-XXXXXX)
sed 's/^  workerThreads: 1$/  workerThreads: 1\n  addedDelay: 1ms/' "$scenario" > "$work/regressed.yaml"
grep -q 'addedDelay: 1ms' "$work/regressed.yaml" || { echo "could not make the regressed scenario" >&2; exit 2; }

cli() { node bin/sidecar-bench.js "$@"; }
latest() { ls -d "$1"/*/ 2>/dev/null | tail -n 1; }

checks_total=0 inconclusive_total=0 rounds_total=0 runs_total=0
# One same-run gated comparison; prints its line, sets $last_code; exit 2 stops everything.
gate_run() {
  local label=$1 candidate=$2 dir=$3 started=$SECONDS
  cli run "$candidate" --interleave-with "$scenario" --reports-dir "$dir" > "$dir.log" 2>&1
  last_code=$?
  local wall=$((SECONDS - started)) summary
  summary="$(latest "$dir")summary.md"
  if [[ $last_code -eq 2 || ! -f $summary ]]; then
    echo "$label: exit $last_code, the run could not be made; see $dir.log"; tail -5 "$dir.log"; return
  fi
  local counts rounds failed passed fail inconclusive used
  counts=$(sed -n 3p "$summary" | sed 's/ · scenario.*//')
  rounds=$(grep -m1 '^Rounds: ' "$summary" | sed 's/ Trials per arm.*//')
  failed=$(grep -o '^| ❌ | [^|]*' "$summary" | sed 's/^| ❌ | //' | paste -sd ';' -)
  passed=$(sed -n 3p "$summary" | grep -o '^[0-9]* passed' | grep -o '^[0-9]*')
  fail=$(sed -n 3p "$summary" | grep -o '[0-9]* failed' | grep -o '^[0-9]*')
  inconclusive=$(sed -n 3p "$summary" | grep -o '[0-9]* inconclusive' | grep -o '^[0-9]*')
  used=$(echo "$rounds" | grep -o '^Rounds: [0-9]*' | grep -o '[0-9]*$')
  checks_total=$((checks_total + passed + fail + inconclusive))
  [[ $label == A/A* ]] && inconclusive_total=$((inconclusive_total + inconclusive))
  rounds_total=$((rounds_total + ${used:-0})) runs_total=$((runs_total + 1))
  last_used=${used:-0} last_results="$(latest "$dir")results.json"
  echo "$label: exit $last_code  $counts  $rounds  wall ${wall}s  failed: ${failed:-none}"
}

started_all=$SECONDS
aa_failed=0 aa_checks=0
for i in $(seq 1 "$aa_runs"); do
  before=$checks_total
  gate_run "A/A $i" "$scenario" "$work/aa-$i"
  aa_checks=$((aa_checks + checks_total - before))
  [[ ${last_used:-0} -gt ${longest_used:-0} ]] && longest_used=$last_used longest_results=$last_results
  [[ $last_code -ne 0 ]] && aa_failed=$((aa_failed + 1))
done

caught=0
for i in $(seq 1 "$regression_runs"); do
  gate_run "regression $i" "$work/regressed.yaml" "$work/regressed-$i"
  [[ $last_code -eq 1 ]] && caught=$((caught + 1))
done

echo
echo "A/A: $aa_failed of $aa_runs failed the gate (goal: at most $(( (aa_runs + 9) / 10 )) in $aa_runs; inconclusive counts as a failure here)"
echo "A/A checks inconclusive: $inconclusive_total of $aa_checks (goal: at most 10 %)"
echo "1 ms regression: $caught of $regression_runs failed the gate (goal: all)"
echo "rounds used: $rounds_total over $runs_total runs (mean $(awk -v r="$rounds_total" -v n="$runs_total" 'BEGIN { printf "%.1f", n ? r / n : 0 }'))"
echo "wall time: $((SECONDS - started_all)) s"
echo "logs and reports: $work"
# What this machine can resolve, planned from the longest A/A run (the bootstrap needs ≥ 10 rounds).
if [[ ${longest_used:-0} -ge 10 ]]; then
  echo
  echo "sidecar-bench tolerances on the longest A/A run ($longest_used rounds):"
  cli tolerances "$longest_results"
fi
