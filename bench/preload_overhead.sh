#!/usr/bin/env bash
# preload_overhead: what libsockfi_preload.so costs a program, next to strace.
#
#   bazel run //bench:preload_overhead -- [--pairs=N] [--runs=R]
#
# The workload is libevent's own loopback socketpair emulation,
# evutil_ersatz_socketpair_, called N times in one process by
# tests/interop/ersatz_pair (each pair made, proven both ways and closed: 15
# socket calls). It runs R times in each of four ways, interleaved so that
# machine noise falls on all of them alike:
#   plain           the program alone
#   preload         under the interposer, with a plan that never fires
#                   (accept#1000000=EINTR) and no trace
#   preload+trace   the same, writing the JSON-lines trace (15 lines a pair)
#   strace          strace -f --inject=accept:error=EINTR:when=65535, a
#                   rule that never fires either (65535 is the largest
#                   occurrence strace 6.1 accepts; strace stops the program at
#                   every system call, whatever the rule)
# and prints the median and the best wall time of each, CPU time (user+sys),
# and the ratios to plain and to the interposer. Then it measures the cost of
# one call (bench/preload_overhead_calls: getsockname on a tracked socket,
# fcntl on an untracked pipe; best of 15 rounds) plain, under the interposer,
# and with the trace, which says where the time goes. Exit status: 0, or 1
# when a run failed (its stderr is shown).
set -euo pipefail

pairs=2000
runs=7
for arg in "$@"; do
  case "$arg" in
    --pairs=*) pairs=${arg#--pairs=} ;;
    --runs=*) runs=${arg#--runs=} ;;
    *)
      echo "usage: preload_overhead [--pairs=N] [--runs=R]" >&2
      exit 2
      ;;
  esac
done

if [ -n "${RUNFILES_DIR:-}" ] && [ -d "$RUNFILES_DIR/sockfi" ]; then
  base="$RUNFILES_DIR/sockfi"
elif [ -d "$0.runfiles/sockfi" ]; then
  base="$0.runfiles/sockfi"
else
  base="$(cd "$(dirname "$0")/.." && pwd)"
fi
library="$base/src/preload/libsockfi_preload.so"
harness="$base/tests/interop/ersatz_pair"
calls="$base/bench/preload_overhead_calls"
for file in "$library" "$harness" "$calls"; do
  if [ ! -e "$file" ]; then
    echo "preload_overhead: $file is missing (run through bazel run)" >&2
    exit 1
  fi
done
if ! command -v strace >/dev/null; then
  echo "preload_overhead: strace is not installed (tools/setup.sh)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
modes=(plain preload preload+trace strace)

# Runs one mode once; appends "wall cpu" (seconds) to $work/<mode>.
run_mode() {
  local mode=$1
  local -a command=("$harness" "--count=$pairs")
  local -a env=()
  case "$mode" in
    preload)
      env=(LD_PRELOAD="$library" SOCKFI_PLAN='accept#1000000=EINTR')
      ;;
    preload+trace)
      rm -f "$work/trace.jsonl"
      env=(LD_PRELOAD="$library" SOCKFI_PLAN='accept#1000000=EINTR'
        SOCKFI_TRACE="$work/trace.jsonl")
      ;;
    strace)
      command=(strace -f -o /dev/null
        --inject=accept:error=EINTR:when=65535 "${command[@]}")
      ;;
  esac
  local TIMEFORMAT='%3R %3U %3S'
  if ! { time env "${env[@]}" "${command[@]}" >"$work/out" 2>"$work/err"; } \
    2>"$work/time"; then
    echo "preload_overhead: the $mode run failed:" >&2
    cat "$work/err" >&2
    exit 1
  fi
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$work/time" >>"$work/$mode"
}

echo "workload: $pairs x evutil_ersatz_socketpair_ (libevent_core), proven and closed; $runs runs per mode, interleaved"
for ((run = 1; run <= runs; run++)); do
  for mode in "${modes[@]}"; do run_mode "$mode"; done
done

lines=$(grep -c '"type":"call"' "$work/trace.jsonl" || true)
faults=$(grep -c '"rule_status":"injected"' "$work/trace.jsonl" || true)
echo "trace of the last preload+trace run: $lines call lines, $faults faults injected"

# median and min of column $2 in file $1
stat_of() {
  sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    printf "%.3f %.3f\n", m, v[1] }'
}

read -r plain_wall plain_best < <(stat_of "$work/plain" 1)
read -r preload_wall _ < <(stat_of "$work/preload" 1)
printf '\n%-14s %11s %11s %11s %9s %9s %12s\n' mode "wall med s" "wall best s" \
  "cpu med s" "us/pair" "x plain" "x best"
for mode in "${modes[@]}"; do
  read -r wall best < <(stat_of "$work/$mode" 1)
  read -r cpu _ < <(stat_of "$work/$mode" 2)
  awk -v m="$mode" -v w="$wall" -v b="$best" -v c="$cpu" -v p="$plain_wall" \
    -v pb="$plain_best" -v n="$pairs" 'BEGIN {
    printf "%-14s %11.3f %11.3f %11.3f %9.1f %9.3f %12.3f\n",
      m, w, b, c, w / n * 1e6, w / p, b / pb }'
done
read -r strace_wall _ < <(stat_of "$work/strace" 1)
awk -v s="$strace_wall" -v p="$preload_wall" 'BEGIN {
  printf "\nstrace / preload (median wall): %.1fx\n", s / p }'
read -r trace_wall _ < <(stat_of "$work/preload+trace" 1)
awk -v s="$strace_wall" -v p="$trace_wall" 'BEGIN {
  printf "strace / preload+trace (median wall): %.1fx\n", s / p }'

# The cost of one call, four ways (best of 3 runs of the best of 15 rounds;
# strace runs 2,000 calls a round, the others 20,000).
best_calls() {
  local count=$1
  shift
  local tracked=1e30 untracked=1e30
  for _ in 1 2 3; do
    rm -f "$work/calls.jsonl"
    read -r t u < <("$@" "$calls" "$count" | awk '{ v[$1] = $2 } END {
      print v["tracked_ns"], v["untracked_ns"] }')
    tracked=$(awk -v a="$tracked" -v b="$t" 'BEGIN { print (b < a) ? b : a }')
    untracked=$(awk -v a="$untracked" -v b="$u" 'BEGIN { print (b < a) ? b : a }')
  done
  echo "$tracked $untracked"
}
read -r plain_t plain_u < <(best_calls 20000 env)
read -r pre_t pre_u < <(best_calls 20000 env LD_PRELOAD="$library")
read -r trace_t trace_u < <(best_calls 20000 env LD_PRELOAD="$library" \
  SOCKFI_TRACE="$work/calls.jsonl")
read -r strace_t strace_u < <(best_calls 2000 strace -f -o /dev/null \
  --inject=accept:error=EINTR:when=65535)
printf '\n%-32s %9s %9s %14s %9s\n' "one call (ns)" plain preload \
  "preload+trace" strace
printf '%-32s %9.1f %9.1f %14.1f %9.1f\n' "getsockname, tracked socket" \
  "$plain_t" "$pre_t" "$trace_t" "$strace_t"
printf '%-32s %9.1f %9.1f %14.1f %9.1f\n' "fcntl(F_GETFL), untracked pipe" \
  "$plain_u" "$pre_u" "$trace_u" "$strace_u"
awk -v p="$plain_t" -v q="$pre_t" -v t="$trace_t" -v s="$strace_t" \
  -v pu="$plain_u" -v qu="$pre_u" 'BEGIN {
  printf "interposer: %+.0f ns per tracked call, %+.0f ns more with the trace (one line), %+.0f ns per untracked call\n",
    q - p, t - q, qu - pu
  printf "strace: %+.0f ns per call, %.0fx the interposer with trace\n", s - p, (s - p) / (t - p) }'
