#!/usr/bin/env bash
# Builds every libFuzzer binary under each clang config of .bazelrc that the smoke
# runs (tools/fuzz_smoke.sh, asan-libfuzzer) do not build, and replays the corpora
# under clang's ASan; prints one line per config: "PASS config" or "FAIL config".
# Exits non-zero when one failed. A config that no longer links (UBSan's C++ runtime
# went missing once) is otherwise found only by the user who asks for it.
#
#   tools/fuzz_configs.sh
set -uo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 0 ]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
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
  if bazel build --config="$config" "${bins[@]}" >"$log" 2>&1; then
    echo "PASS $config (bazel build --config=$config //fuzz:X_bin, every target)"
  else
    grep -E 'error|ERROR' "$log" | head -10
    echo "FAIL $config (bazel build --config=$config //fuzz:X_bin)"
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
