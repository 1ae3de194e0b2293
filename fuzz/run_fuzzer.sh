#!/usr/bin/env bash
# Runs a sockfi libFuzzer binary on a working copy of its corpus.
#
#   bazel run --config=asan-libfuzzer //fuzz:X_run -- [--timeout_secs=N] [--clean]
#       [--out=DIR] [--subject=NAME] [libFuzzer flags such as -jobs=2 -runs=1000]
#
# --timeout_secs=N  stop after N seconds (libFuzzer's -max_total_time); 0: no limit
# --clean           start from the seed corpus again: delete DIR/corpus and
#                   DIR/artifacts first; refused if DIR holds anything else
# --out=DIR         where the working corpus and crash artifacts go; default
#                   fuzz-out/X in the workspace; a relative DIR is taken from the
#                   directory `bazel run` was started in
#                   (crashes: DIR/artifacts/crash-<sha1>)
# --subject=NAME    passed to the binary (subject_fuzzer: the subject to fuzz)
# -h, --help        print this
# Flags with one dash (-runs=1000) go to libFuzzer. Any other --option, or an
# argument without a dash, is an error (exit 2): libFuzzer would ignore it and
# fuzz without a time limit. The seed corpus folder is chosen by the target.
# The target's .options file ([libfuzzer] key = value) and .dict are applied.
set -euo pipefail

# What the user may pass; --name, --binary, --corpus_dir, --dict and --options
# come from the X_run rule (fuzz/fuzz.bzl).
usage_options="--timeout_secs=N, --clean, --out=DIR, --subject=NAME, -h/--help"

usage_error() {
  echo "run_fuzzer: $1" >&2
  echo "run_fuzzer: options: $usage_options; libFuzzer flags start with one dash" \
    "(e.g. -runs=1000)" >&2
  exit 2
}

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
    # subject_fuzzer reads it in LLVMFuzzerInitialize; libFuzzer ignores it.
    --subject=*) pass+=("$arg") ;;
    -h|--help)
      # The comment header, from line 2 to the first line that is not a comment.
      awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"
      exit 0 ;;
    --*) usage_error "unknown option $arg" ;;
    -*) pass+=("$arg") ;;
    *) usage_error "unexpected argument $arg (the corpus folder is chosen by the target; use --out=DIR for the working copy)" ;;
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
# `bazel run` starts us inside the runfiles tree: a relative DIR means the
# directory the user ran bazel from.
if [[ "$out" != /* ]]; then out=${BUILD_WORKING_DIRECTORY:-$PWD}/$out; fi
out=$(realpath -m -s -- "$out")

if [ "$clean" -eq 1 ] && [ -e "$out" ]; then
  # Delete only what this script makes, so a mistyped --out (a home directory,
  # the workspace) loses nothing.
  if [ ! -d "$out" ] || [ -L "$out" ]; then
    echo "run_fuzzer: --clean: $out is not a directory; not deleting it" >&2
    exit 2
  fi
  foreign=()
  shopt -s nullglob dotglob
  for entry in "$out"/*; do
    base=${entry##*/}
    if { [ "$base" = corpus ] || [ "$base" = artifacts ]; } &&
       [ -d "$entry" ] && [ ! -L "$entry" ]; then
      continue
    fi
    foreign+=("$base")
  done
  shopt -u nullglob dotglob
  if [ "${#foreign[@]}" -gt 0 ]; then
    echo "run_fuzzer: --clean: $out holds more than the corpus/ and artifacts/" \
      "folders this script makes (${foreign[*]}); not deleting anything." >&2
    echo "run_fuzzer: pick another --out=DIR, or empty $out yourself." >&2
    exit 2
  fi
  rm -rf -- "$out/corpus" "$out/artifacts"
fi
mkdir -p "$out/corpus" "$out/artifacts"
# Seeds and regressions, flat, keeping their content-hash names.
find -L "$corpus_dir" -type f -exec cp -n {} "$out/corpus/" \;

flags=("-artifact_prefix=$out/artifacts/")
if [ -n "$options" ]; then
  section=""
  while IFS='=' read -r key value || [ -n "$key" ]; do
    key=$(printf '%s' "$key" | tr -d ' \t\r') value=$(printf '%s' "$value" | tr -d ' \t\r')
    case "$key" in
      \[*) section=$key; continue ;;
      ''|\#*|\;*) continue ;;
    esac
    # Other sections ([asan], [ubsan]) hold sanitizer options, not libFuzzer flags.
    if [ "$section" = "[libfuzzer]" ] && [ -n "$value" ]; then
      flags+=("-$key=$value")
    fi
  done < "$options"
fi
if [ -n "$dict" ]; then flags+=("-dict=$dict"); fi
if [ "$timeout" -gt 0 ]; then flags+=("-max_total_time=$timeout"); fi

echo "run_fuzzer: $name on $out/corpus; crashes go to $out/artifacts/" >&2
exec "$binary" "${flags[@]}" "${pass[@]}" "$out/corpus"
