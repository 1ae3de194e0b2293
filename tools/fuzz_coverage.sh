#!/usr/bin/env bash
# Fuzzes one target for a while with coverage instrumentation, then prints the line
# coverage of the given source files (default: src/pair/socket_pair.cc), and the
# emulation's line coverage with and without the lines only a planted bug runs.
#
#   tools/fuzz_coverage.sh [TARGET] [SECONDS] [FILES...]
#   tools/fuzz_coverage.sh socketpair_sim_fuzzer 60 src/pair/socket_pair.cc
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-socketpair_sim_fuzzer}
seconds=${2:-60}
shift $(( $# > 2 ? 2 : $# ))
files=("${@:-src/pair/socket_pair.cc}")
for tool in llvm-profdata llvm-cov; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/lib/llvm-14/bin/$tool" ]; then
    echo "fuzz_coverage: $tool is missing; run tools/setup.sh" >&2
    exit 2
  fi
done
PATH="/usr/lib/llvm-14/bin:$PATH"

bazel build --config=coverage-libfuzzer "//fuzz:${target}_bin"
bin="$(bazel info --config=coverage-libfuzzer bazel-bin 2>/dev/null)/fuzz/${target}_bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp corpus/"$target"/* "$work"/ 2>/dev/null || true
LLVM_PROFILE_FILE="$work/%p.profraw" "$bin" -seed=1 -max_total_time="$seconds" \
  "$work" >"$work/log" 2>&1 || { tail -20 "$work/log"; exit 1; }
grep -o 'exec/s: [0-9]*' "$work/log" | tail -1
llvm-profdata merge -sparse "$work"/*.profraw -o "$work/merged.profdata"
report=$(llvm-cov report "$bin" -instr-profile="$work/merged.profdata")
echo "$report" | head -3 | tail -2
for f in "${files[@]}"; do echo "$report" | grep -E "(^| |/)${f} " || echo "fuzz_coverage: no coverage data for $f"; done

# The emulation's lines with and without those only a planted bug runs
# (tools/planted_bug_lines.awk): the hardened target never enters the latter.
pair=src/pair/socket_pair.cc
llvm-cov export -format=lcov "$bin" -instr-profile="$work/merged.profdata" >"$work/lcov"
awk -f tools/planted_bug_lines.awk "$pair" >"$work/planted"
awk -v pair="$pair" '
  FNR == NR { planted[$1] = 1; next }
  /^SF:/ { in_pair = substr($0, length($0) - length(pair) + 1) == pair; next }
  in_pair && /^DA:/ {
    split(substr($0, 4), f, ",")
    ++lines; if (f[2] > 0) ++covered
    if (f[1] in planted) { ++planted_lines; if (f[2] > 0) ++planted_covered }
  }
  END {
    if (lines == 0) { print "fuzz_coverage: no line data for " pair; exit 1 }
    printf "%s: %d of %d lines (%.1f %%)\n", pair, covered, lines, 100 * covered / lines
    h = lines - planted_lines; hc = covered - planted_covered
    printf "%s without the %d lines only a planted bug runs: %d of %d lines (%.1f %%)\n",
           pair, planted_lines, hc, h, 100 * hc / h
  }' "$work/planted" "$work/lcov"
