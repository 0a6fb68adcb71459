#!/usr/bin/env bash
# Benchmarks jury on generated sessions and prints a Markdown table (see BENCHMARKS.md).
#
#   benches/bench.sh            # S, 1k, L (all documents), XL (check, run --no-documents)
#   benches/bench.sh --smoke    # a small version, as CI runs it
#   RUNS=5 benches/bench.sh     # medians of 5 runs (default 3)
#
# Each line gives the median wall time, CPU time (user + sys) and peak memory (max RSS) of
# the whole command, measured with /usr/bin/time; JURY_TIMINGS=1 makes jury print its own
# per-phase figures on stderr (read, check + decide, summary, documents, write), which are
# given for the last run. The floor is a bare calamine read of the same files
# (examples/read_floor.rs). Linux only (/proc, /usr/bin/time -f).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-3}
dir=${BENCH_DIR:-/tmp/jury-bench}
smoke=false
[ "${1:-}" = "--smoke" ] && smoke=true && runs=1

# The smoke run proves the harness, not speed: it uses the debug build that `cargo test`
# has already made (no release build in CI).
if $smoke; then profile=debug; build=(); else profile=release; build=(--release); fi
cargo build "${build[@]}" --quiet --example make_workload --example read_floor
cargo build "${build[@]}" --quiet
jury=${JURY_BIN:-target/$profile/jury}
mkdir -p "$dir"

# median of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# measure COMMAND...: runs it $runs times, prints median "wall cpu rss_mb".
measure() {
  local walls=() cpus=() rsss=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -o /tmp/jury-bench-time -f '%e %U %S %M' "$@" >/dev/null 2>/tmp/jury-bench-phases || true
    read -r wall user sys rss </tmp/jury-bench-time
    walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')"); rsss+=("$rss")
  done
  printf '%s %s %s\n' \
    "$(printf '%s\n' "${walls[@]}" | median)" \
    "$(printf '%s\n' "${cpus[@]}" | median)" \
    "$(( $(printf '%s\n' "${rsss[@]}" | median | cut -d. -f1) / 1024 ))"
}

row() { # label command...
  local label=$1; shift
  read -r wall cpu rss < <(measure "$@")
  local phases
  phases=$(grep '^jury-timing' /tmp/jury-bench-phases | sed 's/^jury-timing //' | paste -sd ';' - || true)
  echo "| $label | $wall s | $cpu s | $rss MB | ${phases:-} |"
}

if $smoke; then
  sizes="S:30:2"
else
  sizes="S:30:2 1k:1000:3 L:10000:3 XL:100000:3"
fi

echo "| workload | wall (median of $runs) | CPU | peak RSS | phases (last run: wall/CPU s) |"
echo "|---|---|---|---|---|"
for spec in $sizes; do
  IFS=: read -r name n jurors <<<"$spec"
  session="$dir/$name"
  if [ ! -f "$session/session.toml" ]; then
    target/$profile/examples/make_workload "$session" --candidates "$n" --jurors "$jurors" --seed 42
  fi
  row "$name floor: calamine read" target/$profile/examples/read_floor "$session"
  row "$name check" env JURY_TIMINGS=1 "$jury" check "$session" --quiet
  if [ "$name" = XL ]; then
    row "$name run --no-documents" env JURY_TIMINGS=1 "$jury" run "$session" --out "$dir/$name-out" --force --no-documents --quiet
  else
    row "$name run (all documents)" env JURY_TIMINGS=1 "$jury" run "$session" --out "$dir/$name-out" --force --quiet
  fi
done
if $smoke; then
  # The smoke run proves the harness and the outputs, not speed.
  "$jury" audit "$dir/S-out" >/dev/null
  echo "bench smoke: 1 passed, 0 failed"
fi
