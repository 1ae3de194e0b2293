#!/usr/bin/env bash
# Runs a sockfi libFuzzer binary on a working copy of its corpus.
#
#   bazel run --config=asan-libfuzzer //fuzz:X_run -- [--timeout_secs=N] [--clean]
#       [--out=DIR] [libFuzzer flags such as -jobs=2 -workers=2 -runs=1000]
#
# --timeout_secs=N  stop after N seconds (libFuzzer's -max_total_time); 0: no limit
# --clean           start from the seed corpus again (delete DIR first)
# --out=DIR         where the working corpus and crash artifacts go; default
#                   fuzz-out/X in the workspace (crashes: DIR/artifacts/crash-<sha1>)
# The target's .options file ([libfuzzer] key = value) and .dict are applied.
set -euo pipefail

name="" binary="" corpus_dir="" dict="" options=""
timeout=0 clean=0 out=""
pass=()
for arg in "$@"; do
  case "$arg" in
    --name=*) name=${arg#*=} ;;
    --binary=*) binary=${arg#*=} ;;
    --corpus_dir=*) corpus_dir=${arg#*=} ;;
    --dict=*) dict=${arg#*=} ;;
    --options=*) options=${arg#*=} ;;
    --timeout_secs=*) timeout=${arg#*=} ;;
    --clean) clean=1 ;;
    --out=*) out=${arg#*=} ;;
    -h|--help)
      sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
      exit 0 ;;
    *) pass+=("$arg") ;;
  esac
done
if ! [[ "$timeout" =~ ^[0-9]+$ ]]; then
  echo "run_fuzzer: --timeout_secs=$timeout: expected a whole number of seconds" >&2
  exit 2
fi
if [ ! -x "$binary" ]; then
  echo "run_fuzzer: $binary is missing; build with a libFuzzer config, e.g." >&2
  echo "  bazel run --config=asan-libfuzzer //fuzz:${name}_run" >&2
  exit 2
fi

root=${BUILD_WORKSPACE_DIRECTORY:-$PWD}
out=${out:-$root/fuzz-out/$name}
if [ "$clean" -eq 1 ]; then rm -rf "$out"; fi
mkdir -p "$out/corpus" "$out/artifacts"
# Seeds and regressions, flat, keeping their content-hash names.
find -L "$corpus_dir" -type f -exec cp -n {} "$out/corpus/" \;

flags=("-artifact_prefix=$out/artifacts/")
if [ -n "$options" ]; then
  while IFS='=' read -r key value; do
    key=$(echo "$key" | tr -d ' ') value=$(echo "$value" | tr -d ' ')
    if [ -n "$key" ] && [ -n "$value" ] && [[ "$key" != \[* ]]; then
      flags+=("-$key=$value")
    fi
  done < "$options"
fi
if [ -n "$dict" ]; then flags+=("-dict=$dict"); fi
if [ "$timeout" -gt 0 ]; then flags+=("-max_total_time=$timeout"); fi

echo "run_fuzzer: $name on $out/corpus; crashes go to $out/artifacts/" >&2
exec "$binary" "${flags[@]}" "${pass[@]}" "$out/corpus"
