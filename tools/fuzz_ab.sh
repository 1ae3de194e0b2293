#!/usr/bin/env bash
# Compares the speed of two builds of one fuzz target on this machine, whose speed
# drifts too much for runs made one after the other: both run at once from the same
# seed corpus with the same -seed, one per core, then again with the cores swapped.
# Prints libFuzzer's exec/s of each run and the new build's gain in each pair.
#
#   tools/fuzz_ab.sh OLD_BIN NEW_BIN [TARGET] [SEED] [SECONDS]
#   tools/fuzz_ab.sh /tmp/old_bin bazel-bin/fuzz/socketpair_sim_fuzzer_bin
#
# Copy OLD_BIN away before rebuilding NEW_BIN (bazel overwrites it). The comparison
# is fair only when both builds instrument the same code for coverage (src/pair,
# src/subjects, src/fault/fault_plan.cc, fuzz/): otherwise the two runs explore
# different inputs, and their speeds say little about the change.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ] || [ $# -gt 5 ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
old=$1 new=$2 target=${3:-socketpair_sim_fuzzer} seed=${4:-1} seconds=${5:-20}
for bin in "$old" "$new"; do
  if [ ! -x "$bin" ]; then
    echo "fuzz_ab: $bin is not an executable fuzz target binary" >&2
    exit 2
  fi
done
if [ ! -d "corpus/$target" ]; then
  echo "fuzz_ab: no seed corpus corpus/$target" >&2
  exit 2
fi
if ! [[ "$seed" =~ ^[0-9]+$ && "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz_ab: SEED must be a whole number and SECONDS a positive one" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The seeds alone: the regressions are storm inputs a run would dwell on.
mkdir -p "$work/seeds"
find -L "corpus/$target" -maxdepth 1 -type f -exec cp {} "$work/seeds/" \;
options=()
if [ -f "fuzz/$target.options" ]; then options+=("--options=fuzz/$target.options"); fi
if [ -f "fuzz/$target.dict" ]; then options+=("--dict=fuzz/$target.dict"); fi
# Runs binary $1 on core $2 as `bazel run //fuzz:X_run` would (fuzz/run_fuzzer.sh),
# from a fresh copy of the seeds; prints its exec/s.
run() {
  taskset -c "$2" bash fuzz/run_fuzzer.sh --name="$target" --binary="$1" \
    --corpus_dir="$work/seeds" "${options[@]}" --out="$work/out-$2" --clean \
    --timeout_secs="$seconds" -seed="$seed" >"$work/log-$2" 2>&1 || true
  grep -o 'DONE .*exec/s: [0-9]*' "$work/log-$2" | grep -o '[0-9]*$' || echo 0
}
for old_core in 0 1; do
  new_core=$((1 - old_core))
  run "$old" "$old_core" >"$work/old" &
  run "$new" "$new_core" >"$work/new"
  wait
  o=$(cat "$work/old") n=$(cat "$work/new")
  gain=$(awk -v o="$o" -v n="$n" 'BEGIN { printf (o > 0 ? "%+.1f %%" : "n/a"), 100 * (n - o) / o }')
  echo "seed $seed: old $o exec/s (core $old_core), new $n exec/s (core $new_core): $gain"
done
