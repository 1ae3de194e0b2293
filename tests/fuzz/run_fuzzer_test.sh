#!/usr/bin/env bash
# run_fuzzer_test: fuzz/run_fuzzer.sh (behind //fuzz:X_run) parses its options, places
# its output and cleans up as documented, run with a fake fuzz binary that records its
# arguments instead of fuzzing.
#
#   bazel test //tests/fuzz:run_fuzzer_test
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  if [ -s "$tmp/stderr" ]; then sed 's/^/  stderr: /' "$tmp/stderr" >&2; fi
  exit 1
}
ok() { echo "ok: $*"; }

if [ -z "${TEST_TMPDIR:-}" ]; then
  echo "run me with: bazel test //tests/fuzz:run_fuzzer_test" >&2
  exit 1
fi
script=$PWD/fuzz/run_fuzzer.sh
[ -f "$script" ] || fail "$script is not in the runfiles"
tmp=$TEST_TMPDIR
# What `bazel run` would set: X_run is started in the runfiles tree, not here.
wd=$tmp/wd
mkdir -p "$wd"

# A fuzz binary that records its arguments, one a line, and exits 0.
fake=$tmp/fake_fuzzer
args_file=$tmp/args
cat >"$fake" <<EOF
#!/usr/bin/env bash
printf '%s\n' "\$@" >"$args_file"
EOF
chmod +x "$fake"

seeds=$tmp/seeds
mkdir -p "$seeds/regressions"
echo seed-a >"$seeds/aaaa"
echo seed-b >"$seeds/bbbb"
echo crash-c >"$seeds/regressions/cccc"
dict=$tmp/t.dict
echo '"kw"' >"$dict"
opts=$tmp/t.options
cat >"$opts" <<'EOF'
[libfuzzer]
max_len = 4096
timeout=5
# a comment = not a flag

[asan]
detect_leaks = 0
EOF

# run [args...]: runs the script as X_run would, from the runfiles-like $tmp/cwd;
# sets rc, leaves stderr in $tmp/stderr and the fake's arguments in $args_file.
mkdir -p "$tmp/cwd"
run() {
  rm -f "$args_file"
  rc=0
  (cd "$tmp/cwd" && BUILD_WORKING_DIRECTORY=$wd BUILD_WORKSPACE_DIRECTORY=$tmp/ws \
    "$script" --name=t --binary="$fake" --corpus_dir="$seeds" --dict="$dict" \
    --options="$opts" "$@") >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
}
has_arg() { [ -f "$args_file" ] && grep -qxF -- "$1" "$args_file"; }
expect_usage_error() {  # expect_usage_error ARG: exit 2, ARG named, binary not run
  run "$1"
  [ "$rc" -eq 2 ] || fail "$1: exit $rc, want 2"
  grep -qF -- "$1" "$tmp/stderr" || fail "$1: the message does not name it"
  grep -qF -- "--timeout_secs=N" "$tmp/stderr" || fail "$1: the message lists no options"
  [ ! -e "$args_file" ] || fail "$1: the fuzz binary ran"
  ok "$1 is rejected with exit 2"
}

# --- Unknown and mistyped options ------------------------------------------------------
for bad in --bogus --timeout=30 --timeout_sec=30 --timeout_secs --out --clean=1 --; do
  expect_usage_error "$bad"
done
expect_usage_error corpus/t
run --timeout_secs=x
[ "$rc" -eq 2 ] || fail "--timeout_secs=x: exit $rc, want 2"
grep -qF "whole number" "$tmp/stderr" || fail "--timeout_secs=x: no message"
ok "--timeout_secs=x is rejected with exit 2"

# --- A run: flags, output folder, seeds ------------------------------------------------
run --out=rel/out --timeout_secs=3 --subject=foo -runs=5
[ "$rc" -eq 0 ] || fail "run: exit $rc"
out=$wd/rel/out
for want in --subject=foo -runs=5 -max_len=4096 -timeout=5 -dict="$dict" \
    -max_total_time=3 -artifact_prefix="$out/artifacts/"; do
  has_arg "$want" || fail "the binary did not get $want; it got: $(tr '\n' ' ' <"$args_file")"
done
ok "--subject, -runs, .options flags, -dict, -max_total_time, -artifact_prefix reach the binary"
for unwanted in -detect_leaks=0 "-#acomment=notaflag" "-[libfuzzer]"; do
  ! has_arg "$unwanted" || fail "the binary got $unwanted (not a [libfuzzer] option)"
done
ok "comments and other sections of .options are not passed"
[ "$(tail -n 1 "$args_file")" = "$out/corpus" ] ||
  fail "the corpus argument is $(tail -n 1 "$args_file"), want $out/corpus"
grep -qF "$out/corpus" "$tmp/stderr" || fail "the absolute output path is not printed"
ok "relative --out resolves against BUILD_WORKING_DIRECTORY"
for seed in aaaa bbbb cccc; do
  [ -f "$out/corpus/$seed" ] || fail "seed $seed was not copied to $out/corpus"
done
[ -d "$out/artifacts" ] || fail "$out/artifacts was not made"
ok "seeds, including regressions/, are copied into DIR/corpus"

# Without bazel run's variable a relative --out is taken from the current directory.
rm -f "$args_file"
(cd "$tmp/cwd" && env -u BUILD_WORKING_DIRECTORY "$script" --name=t --binary="$fake" \
  --corpus_dir="$seeds" --out=here) >/dev/null 2>"$tmp/stderr" || fail "run without BUILD_WORKING_DIRECTORY"
has_arg "-artifact_prefix=$tmp/cwd/here/artifacts/" || fail "relative --out without BUILD_WORKING_DIRECTORY"
ok "relative --out falls back to the current directory"

run
[ "$rc" -eq 0 ] || fail "run without --out: exit $rc"
has_arg "$tmp/ws/fuzz-out/t/corpus" || fail "the default output is not \$BUILD_WORKSPACE_DIRECTORY/fuzz-out/t"
ok "the default output is fuzz-out/X in the workspace"

# --- --clean ---------------------------------------------------------------------------
# A folder the script made: --clean empties corpus/ and artifacts/ and copies the seeds again.
echo stale >"$out/corpus/stale"
echo crash >"$out/artifacts/crash-1"
run --out=rel/out --clean
[ "$rc" -eq 0 ] || fail "--clean on the script's own folder: exit $rc"
[ ! -e "$out/corpus/stale" ] || fail "--clean left $out/corpus/stale"
[ ! -e "$out/artifacts/crash-1" ] || fail "--clean left $out/artifacts/crash-1"
[ -f "$out/corpus/cccc" ] || fail "--clean did not copy the seeds again"
ok "--clean cleans a folder the script made"

# A folder with anything else in it (a home directory, say) is left alone.
home=$tmp/home
mkdir -p "$home/corpus" "$home/.ssh"
echo precious >"$home/notes.txt"
echo key >"$home/.ssh/id"
echo mine >"$home/corpus/mine"
run --out="$home" --clean
[ "$rc" -eq 2 ] || fail "--clean on a foreign folder: exit $rc, want 2"
grep -qF "notes.txt" "$tmp/stderr" || fail "--clean: the refusal does not name the foreign content"
[ ! -e "$args_file" ] || fail "--clean on a foreign folder: the fuzz binary ran"
for kept in notes.txt .ssh/id corpus/mine; do
  [ -f "$home/$kept" ] || fail "--clean deleted $home/$kept"
done
ok "--clean refuses a folder with foreign content and keeps it"

# A corpus/ that is a symlink may lead anywhere: not the script's.
mkdir -p "$tmp/elsewhere" "$tmp/linked"
echo keep >"$tmp/elsewhere/keep"
ln -s "$tmp/elsewhere" "$tmp/linked/corpus"
run --out="$tmp/linked" --clean
[ "$rc" -eq 2 ] || fail "--clean with corpus/ a symlink: exit $rc, want 2"
[ -f "$tmp/elsewhere/keep" ] || fail "--clean followed the corpus/ symlink"
ok "--clean refuses a symlinked corpus/"

echo data >"$tmp/afile"
run --out="$tmp/afile" --clean
[ "$rc" -eq 2 ] || fail "--clean on a file: exit $rc, want 2"
[ -f "$tmp/afile" ] || fail "--clean deleted a file"
ok "--clean refuses a file"

# --- --help ----------------------------------------------------------------------------
for help in --help -h; do
  rc=0
  "$script" "$help" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
  [ "$rc" -eq 0 ] || fail "$help: exit $rc"
  ! grep -qF "set -euo" "$tmp/stdout" || fail "$help prints the script's code"
  ! grep -q '^#' "$tmp/stdout" || fail "$help prints comment markers"
  for documented in --timeout_secs=N --clean --out=DIR --subject=NAME .options; do
    grep -qF -- "$documented" "$tmp/stdout" || fail "$help does not document $documented"
  done
done
ok "--help prints the comment header only"

echo PASS
