#!/usr/bin/env bash
# build_sh_test: fuzz/oss-fuzz/build.sh keeps the OSS-Fuzz / ClusterFuzzLite contract.
#
#   bazel test //tests/oss_fuzz:build_sh_test
#
# Lays the sources out as the OSS-Fuzz image does ($SRC/sockfi, build.sh as $SRC/build.sh),
# checks build.sh's source lists against Bazel's deps, runs build.sh with clang and
# ASan + libFuzzer flags, checks what it wrote to $OUT for every target (the binary, the
# seed corpus zip without regressions/, the .options, the .dict), and runs every fuzzer
# for 100 inputs from its seeds. Needs clang with libFuzzer (tools/setup.sh installs
# clang and libclang-rt-14-dev), zip and unzip. Takes a few minutes: ~46 compilations.
set -euo pipefail

targets=(socketpair_sim_fuzzer subject_fuzzer socketpair_real_fuzzer fault_plan_fuzzer)
# The flags of fuzz/oss-fuzz/README.md's local command (OSS-Fuzz's, without libc++).
flags="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,fuzzer-no-link"

step() { printf '\n== %s\n' "$*"; }
ok() { echo "  ok: $*"; }
fail() {
  echo >&2
  echo "FAIL: $*" >&2
  exit 1
}

if [ -z "${TEST_SRCDIR:-}" ] || [ -z "${TEST_WORKSPACE:-}" ] || [ -z "${TEST_TMPDIR:-}" ]; then
  fail "run me with: bazel test //tests/oss_fuzz:build_sh_test"
fi
runfiles=$TEST_SRCDIR/$TEST_WORKSPACE
tmp=$TEST_TMPDIR
start=$SECONDS

# --- Tools ------------------------------------------------------------------------------

step "tools: clang with libFuzzer, zip, unzip"
for tool in clang clang++; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "$tool is not installed (PATH=$PATH). Run tools/setup.sh: it installs clang and libclang-rt-14-dev."
done
probe=$tmp/probe
mkdir -p "$probe"
printf '%s\n' 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' \
  >"$probe/probe.cc"
if ! clang++ -fsanitize=address,fuzzer "$probe/probe.cc" -o "$probe/probe" >"$probe/log" 2>&1; then
  cat "$probe/log" >&2
  fail "clang++ cannot link a libFuzzer binary (-fsanitize=address,fuzzer): the libFuzzer and sanitizer runtimes are missing. Run tools/setup.sh: it installs libclang-rt-14-dev."
fi
ok "clang++ links a libFuzzer binary ($(clang++ --version | head -1))"
for tool in zip unzip; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "$tool is not installed: build.sh writes the seed corpora with zip, this test reads them with unzip (apt-get install zip unzip)."
done
ok "zip and unzip are installed"

# --- The sources, as the OSS-Fuzz image has them ------------------------------------------

step "sources: \$SRC/sockfi and \$SRC/build.sh, as fuzz/oss-fuzz/Dockerfile lays them out"
src=$tmp/src
rm -rf "$src"
mkdir -p "$src/sockfi"
# What Bazel gave this test: src/** (every source the targets need, by deps), fuzz/**
# (build.sh, .options, .dict) and corpus/** (seeds and regressions).
cp -RL "$runfiles/src" "$runfiles/fuzz" "$runfiles/corpus" "$src/sockfi/"
cp -L "$runfiles/fuzz/oss-fuzz/build.sh" "$src/build.sh"
ok "$(find "$src/sockfi" -type f | wc -l) files in \$SRC/sockfi"

# --- build.sh's lists of sources follow Bazel's deps --------------------------------------

step "build.sh --print-sources matches what Bazel builds each //fuzz:X_bin from"
expected=$(cat "$runfiles"/tests/oss_fuzz/*_sources.txt | sort)
actual=$(bash "$src/build.sh" --print-sources | sort) ||
  fail "build.sh --print-sources failed"
if [ "$expected" != "$actual" ]; then
  diff <(echo "$expected" | tr ' ' '\n') <(echo "$actual" | tr ' ' '\n') >&2 || true
  fail "fuzz/oss-fuzz/build.sh's source lists (plan_sources, scenario_sources, sources_of) differ from the deps in src/**/BUILD and fuzz/BUILD ('<' Bazel, '>' build.sh): update build.sh (and tests/oss_fuzz/BUILD if a fuzz target's own deps changed)."
fi
ok "the same .cc files for ${#targets[@]} targets"

# --- build.sh fails clearly ---------------------------------------------------------------

step "build.sh fails clearly when the environment is wrong"
expect_failure() {  # expect_failure WHAT MESSAGE-PATTERN ENV-ASSIGNMENTS...
  local what=$1 pattern=$2 log=$tmp/expect_failure.log
  shift 2
  if (cd "$src/sockfi" && env "$@" bash "$src/build.sh") >"$log" 2>&1; then
    cat "$log" >&2
    fail "build.sh succeeded $what"
  fi
  grep -q -- "$pattern" "$log" || {
    cat "$log" >&2
    fail "build.sh failed $what, but without saying \"$pattern\""
  }
  ok "$what: \"$(grep -m1 -- "$pattern" "$log" | sed 's/^build.sh: error: //')\""
}
expect_failure "without \$OUT" 'OUT not set' \
  -u OUT SRC="$src" WORK="$tmp/work-fail" CC=clang CXX=clang++ LIB_FUZZING_ENGINE=-fsanitize=fuzzer
expect_failure "with SOCKFI_ABSL=source and no \$SRC/abseil-cpp" 'has no CMakeLists.txt' \
  SRC="$src" WORK="$tmp/work-fail" OUT="$tmp/out-fail" CC=clang CXX=clang++ \
  LIB_FUZZING_ENGINE=-fsanitize=fuzzer SOCKFI_ABSL=source

# --- build.sh -----------------------------------------------------------------------------

out=$tmp/out
work=$tmp/work
rm -rf "$out" "$work"
step "build.sh: CC=clang CXX=clang++ CFLAGS=CXXFLAGS=\"$flags\" LIB_FUZZING_ENGINE=-fsanitize=fuzzer"
build_start=$SECONDS
if ! (cd "$src/sockfi" &&
      env -u SOCKFI_ABSL SRC="$src" WORK="$work" OUT="$out" CC=clang CXX=clang++ \
        CFLAGS="$flags" CXXFLAGS="$flags" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
        SOCKFI_JOBS="${SOCKFI_JOBS:-2}" bash "$src/build.sh"); then
  fail "build.sh failed (its output is above)"
fi
build_seconds=$((SECONDS - build_start))
ok "build.sh finished in $build_seconds s"

# --- What build.sh wrote to $OUT ----------------------------------------------------------

step "\$OUT has, per target, the binary, the seed corpus zip, the .options and the .dict"
for target in "${targets[@]}"; do
  binary=$out/$target
  if [ ! -f "$binary" ] || [ ! -x "$binary" ]; then
    fail "$binary is missing or not executable"
  fi
  [ "$(head -c 4 "$binary" | od -An -c | tr -d ' ')" == '177ELF' ] ||
    fail "$binary is not an ELF executable"
  ok "$target: executable"

  zip_file=$out/${target}_seed_corpus.zip
  [ -s "$zip_file" ] || fail "$zip_file is missing or empty"
  unzip -l "$zip_file" >/dev/null || fail "unzip -l cannot list $zip_file"
  seeds=$(find -L "$runfiles/corpus/$target" -mindepth 1 -maxdepth 1 -type f -printf '%f\n' | sort)
  entries=$(unzip -Z1 "$zip_file" | sort)
  if [ "$entries" != "$seeds" ]; then
    diff <(echo "$seeds") <(echo "$entries") >&2 || true
    fail "$zip_file does not hold exactly the seed files of corpus/$target/ ('<' seeds, '>' zip entries; regressions/ must not be in it)"
  fi
  ok "$target: ${target}_seed_corpus.zip lists the $(echo "$seeds" | wc -l) seeds of corpus/$target/, no regressions"

  cmp -s "$out/$target.options" "$runfiles/fuzz/$target.options" ||
    fail "$out/$target.options is missing or differs from fuzz/$target.options"
  ok "$target: $target.options is fuzz/$target.options"
  if [ -f "$runfiles/fuzz/$target.dict" ]; then
    cmp -s "$out/$target.dict" "$runfiles/fuzz/$target.dict" ||
      fail "$out/$target.dict is missing or differs from fuzz/$target.dict"
    ok "$target: $target.dict is fuzz/$target.dict"
  elif [ -e "$out/$target.dict" ]; then
    fail "$out/$target.dict exists, but there is no fuzz/$target.dict"
  fi
done
[ -f "$out/fault_plan_fuzzer.dict" ] || fail "$out/fault_plan_fuzzer.dict is missing"
if [ -n "$(find "$out" -name 'crash-*')" ]; then
  fail "a crash file got into \$OUT: $(find "$out" -name 'crash-*')"
fi

# --- Each fuzzer runs ---------------------------------------------------------------------

step "each fuzzer runs 100 inputs from its seeds, with its .options and .dict (exit status 0)"
for target in "${targets[@]}"; do
  dir=$tmp/run/$target
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  unzip -q "$out/${target}_seed_corpus.zip" -d "$dir/corpus"
  # As ClusterFuzz does: [libfuzzer] "key = value" lines become -key=value.
  args=()
  while IFS='=' read -r key value; do
    key=$(echo "$key" | tr -d ' ') value=$(echo "$value" | tr -d ' ')
    if [ -n "$key" ] && [ -n "$value" ] && [[ "$key" != \[* ]]; then
      args+=("-$key=$value")
    fi
  done <"$out/$target.options"
  if [ -f "$out/$target.dict" ]; then args+=("-dict=$out/$target.dict"); fi
  args+=(-runs=100 "-artifact_prefix=$dir/artifacts/")
  run_start=$SECONDS
  if ! timeout 600 "$out/$target" "${args[@]}" "$dir/corpus" >"$dir/log" 2>&1; then
    tail -n 40 "$dir/log" >&2
    fail "$target ${args[*]} $dir/corpus did not exit with status 0 (the end of its output is above; full log: $dir/log)"
  fi
  grep -q 'Done 100 runs' "$dir/log" || {
    tail -n 20 "$dir/log" >&2
    fail "$target exited with status 0 but did not report \"Done 100 runs\""
  }
  shown="$target ${args[*]} $dir/corpus"
  ok "${shown//$tmp/\$TEST_TMPDIR}: exit status 0 in $((SECONDS - run_start)) s ($(grep -m1 -o 'INITED cov: [0-9]*' "$dir/log"))"
done

printf '\nPASS: build.sh built %d fuzz targets in %d s; %d s in all\n' \
  "${#targets[@]}" "$build_seconds" "$((SECONDS - start))"
