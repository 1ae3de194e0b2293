#!/usr/bin/env bash
# Builds every libFuzzer binary under each clang config of .bazelrc that the smoke
# runs (tools/fuzz_smoke.sh, asan-libfuzzer) do not build, runs each for 3 s under
# the strictest (asan-ubsan-libfuzzer), and replays the corpora under clang's ASan;
# prints one line per config: "PASS config" or "FAIL config". Exits non-zero when
# one failed. A config that no longer builds (UBSan's C++ runtime was missing from
# the link once) is otherwise found only by the user who asks for it.
#
#   tools/fuzz_configs.sh
set -uo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 0 ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
bins=()
for t in socketpair_sim_fuzzer subject_fuzzer socketpair_real_fuzzer fault_plan_fuzzer; do
  bins+=("//fuzz:${t}_bin")
done
log=$(mktemp)
trap 'rm -f "$log"' EXIT

failed=0
for config in ubsan-libfuzzer asan-ubsan-libfuzzer coverage-libfuzzer; do
  if ! bazel build --config="$config" "${bins[@]}" >"$log" 2>&1; then
    grep -E 'error|ERROR' "$log" | head -10
    echo "FAIL $config (bazel build --config=$config //fuzz:X_bin)"
    failed=1
    continue
  fi
  if [ "$config" != asan-ubsan-libfuzzer ]; then
    echo "PASS $config (bazel build --config=$config //fuzz:X_bin, every target)"
    continue
  fi
  # The strictest config also runs (every config writes the same bazel-bin, so
  # this comes before the next build).
  if bash tools/fuzz_smoke.sh 3 "$config" >"$log" 2>&1; then
    echo "PASS $config (every target builds, and runs clean for 3 s)"
  else
    grep -v '^PASS ' "$log" | tail -20
    echo "FAIL $config (tools/fuzz_smoke.sh 3 $config)"
    failed=1
  fi
done
if bazel test --config=asan-replay //fuzz/... >"$log" 2>&1; then
  echo "PASS asan-replay (bazel test --config=asan-replay //fuzz/...)"
else
  grep -E 'error|ERROR|FAILED' "$log" | head -10
  echo "FAIL asan-replay (bazel test --config=asan-replay //fuzz/...)"
  failed=1
fi
exit $failed
