#!/usr/bin/env bash
# Regenerates the seed corpora: corpus/<target>/<sha1 of the content> for each fuzz
# target (regressions/ is left alone). Run from the workspace: tools/make_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build //fuzz:make_seeds
tool=$(bazel info bazel-bin 2>/dev/null)/fuzz/make_seeds
for target in socketpair_sim_fuzzer subject_fuzzer socketpair_real_fuzzer fault_plan_fuzzer; do
  tmp=$(mktemp -d)
  "$tool" --target="$target" --out="$tmp"
  mkdir -p "corpus/$target"
  find "corpus/$target" -maxdepth 1 -type f -delete
  for f in "$tmp"/*; do
    mv "$f" "corpus/$target/$(sha1sum "$f" | cut -c1-40)"
  done
  rmdir "$tmp"
done
