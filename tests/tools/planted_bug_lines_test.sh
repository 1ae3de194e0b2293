#!/usr/bin/env bash
# tools/planted_bug_lines.awk finds the lines only a planted bug runs: on a fixture
# with every shape of condition, and on the emulation itself.
set -euo pipefail
awk_script=tools/planted_bug_lines.awk
fail() { echo "FAIL: $*" >&2; exit 1; }

fixture=$(mktemp)
trap 'rm -f "$fixture"' EXIT
cat >"$fixture" <<'CC'
void F() {
  if (mutation_ == Mutation::kOneLine) return;
  if (mutation_ == Mutation::kSimple) {
    a();
  }
  if (mutation_ == Mutation::kOred && a ||
      b) {
    c();
  }
  while (mutation_ == Mutation::kLoop && !done &&
         more()) {
    if (d) {
      e();
    }
  }
  if (mutation_ != Mutation::kOther) {
    f();
  }
  g();
}
CC
got=$(awk -f "$awk_script" "$fixture" | tr '\n' ' ')
[ "$got" = "4 5 12 13 14 15 " ] || fail "fixture: got lines '$got', want '4 5 12 13 14 15 '"

# On the emulation: each block it reports starts right after a line that opens a
# brace, below a `mutation_ ==` condition at most three lines up.
source=src/pair/socket_pair.cc
lines=$(awk -f "$awk_script" "$source")
[ -n "$lines" ] || fail "no planted-bug lines found in $source"
previous=-1
blocks=0
for n in $lines; do
  if [ "$n" -ne $((previous + 1)) ]; then
    blocks=$((blocks + 1))
    opener=$(sed -n "$((n - 1))p" "$source")
    [[ "$opener" =~ \{[[:space:]]*$ ]] || fail "line $n: line $((n - 1)) opens no block: $opener"
    sed -n "$((n > 4 ? n - 4 : 1)),$((n - 1))p" "$source" | grep -q 'mutation_ == Mutation::k' ||
      fail "line $n: no planted-bug condition above it"
  fi
  previous=$n
done
# One block per conjunctive `if`/`while (mutation_ == ...` in the source.
want=$(grep -cE '^[[:space:]]*(if|while) \(mutation_ == Mutation::k[A-Za-z]+( &&|\) \{)' "$source")
[ "$blocks" -eq "$want" ] || fail "$blocks blocks found, $want planted-bug conditions in $source"
echo "PASS: $blocks planted-bug blocks, $(echo "$lines" | wc -l) lines"
