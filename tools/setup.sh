#!/usr/bin/env bash
# Installs every Debian package sockfi needs to build, test, fuzz and benchmark.
# Idempotent: installs only what is missing. Runs as root, or through sudo.
set -euo pipefail

packages=(
  bazel-bootstrap    # Bazel 4.2.3 (WORKSPACE mode, offline with third_party/bazel)
  g++                # default toolchain
  pkg-config         # third_party/pkg_config.bzl reads link flags from it
  libabsl-dev        # Abseil
  libgtest-dev       # GoogleTest
  libgmock-dev       # GoogleMock
  libbenchmark-dev   # Google Benchmark
  clang              # libFuzzer builds
  libclang-rt-14-dev # libFuzzer and sanitizer runtimes for clang
  llvm               # llvm-cov and llvm-profdata for tools/fuzz_coverage.sh
  zip                # fuzz/oss-fuzz/build.sh packs the seed corpora
  unzip              # and its test reads them back
  libevent-dev       # libevent_core: tests/interop runs its evutil_ersatz_socketpair_
  strace             # bench/preload_overhead compares the interposer with strace --inject
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed."
  exit 0
fi

echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup: cannot install ${missing[*]}: not root and no sudo." >&2
  echo "setup: ask an administrator to run: apt-get install -y ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  echo "setup: apt-get install failed; refreshing the package lists and trying again." >&2
  "${as_root[@]}" apt-get update
  if ! "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
    echo "setup: could not install: ${missing[*]}" >&2
    exit 1
  fi
fi

still_missing=()
for package in "${missing[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    still_missing+=("$package")
  fi
done
if [ "${#still_missing[@]}" -ne 0 ]; then
  echo "setup: still missing after apt-get: ${still_missing[*]}" >&2
  exit 1
fi
echo "setup: done."
