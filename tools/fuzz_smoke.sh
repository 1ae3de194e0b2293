#!/usr/bin/env bash
# Runs every libFuzzer target for a short time with clang (by default ASan +
# libFuzzer), from a copy of its seed corpus, and prints one line per target:
# "PASS name" or "FAIL name (why)". Exits non-zero when a target failed.
#
#   tools/fuzz_smoke.sh [SECONDS] [CONFIG]   (default 10 per target, asan-libfuzzer)
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
config=${2:-asan-libfuzzer}
targets=(socketpair_sim_fuzzer subject_fuzzer socketpair_real_fuzzer fault_plan_fuzzer)

bins=()
for t in "${targets[@]}"; do bins+=("//fuzz:${t}_bin"); done
if ! bazel build --config="$config" "${bins[@]}"; then
  for t in "${targets[@]}"; do echo "FAIL $t (did not build with --config=$config)"; done
  exit 1
fi
bin_dir=$(bazel info --config="$config" bazel-bin 2>/dev/null)

failed=0
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  cp corpus/"$t"/* "$work"/ 2>/dev/null || true
  mkdir -p "$work/artifacts"
  log="$work/log"
  if "$bin_dir/fuzz/${t}_bin" -seed=1 -max_total_time="$seconds" \
      -artifact_prefix="$work/artifacts/" "$work" >"$log" 2>&1; then
    rate=$(grep -o 'exec/s: [0-9]*' "$log" | tail -1)
    echo "PASS $t (${seconds}s, ${rate:-no rate})"
  else
    echo "FAIL $t: the fuzzer stopped with a finding:"
    grep -A3 -E "sockfi: violation|ERROR: libFuzzer|ERROR: AddressSanitizer|runtime error" \
      "$log" | head -20
    failed=1
  fi
  rm -rf "$work"
done
exit $failed
