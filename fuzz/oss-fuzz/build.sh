#!/bin/bash
# OSS-Fuzz / ClusterFuzzLite build script for sockfi's libFuzzer targets.
#
# The contract (https://google.github.io/oss-fuzz/getting-started/new-project-guide/):
# compile with $CC $CXX $CFLAGS $CXXFLAGS, link every fuzz target with
# $LIB_FUZZING_ENGINE (it provides main()), and write to $OUT, for each target X,
#   X                  the fuzzer binary
#   X_seed_corpus.zip  the seed files of corpus/X/ (not corpus/X/regressions/)
#   X.options          a copy of fuzz/X.options
#   X.dict             a copy of fuzz/X.dict, where one exists
# $SRC is where the sources are ($SRC/sockfi, and $SRC/abseil-cpp when Abseil is
# built from source); $WORK is scratch space. OSS-Fuzz sets all of them. Run
# locally, $SRC defaults to this repository and $WORK to a new temporary folder;
# see fuzz/oss-fuzz/README.md for the exact command.
#
# Bazel is not used: OSS-Fuzz images do not have the Bazel this project needs, so the
# sources each target needs are listed below, mirroring the deps in src/**/BUILD and
# fuzz/BUILD (//tests/oss_fuzz:build_sh_test fails when they drift apart).
#
# Options (environment):
#   SOCKFI_ABSL=auto|system|source  where Abseil comes from (default auto: pkg-config's
#                                   system Abseil, unless $CXXFLAGS asks for libc++ or
#                                   pkg-config does not find it; then $SRC/abseil-cpp
#                                   built with CMake into $WORK)
#   SOCKFI_JOBS=N                   parallel compilations (default: the number of CPUs)
#
#   build.sh --print-sources        print "TARGET SOURCE..." per target and exit
set -euo pipefail

say() { echo "build.sh: $*"; }
die() {
  echo "build.sh: error: $*" >&2
  exit 1
}

# --- What each fuzz target is built from ------------------------------------------

targets=(socketpair_sim_fuzzer subject_fuzzer socketpair_real_fuzzer fault_plan_fuzzer)

# The fault plan parser and the errno catalog: //src/fault:fault_plan and
# //src/fault:errno_catalog with their deps (fault_plan_fuzzer needs only these).
plan_sources=(
  src/sys/errno_name.cc         # //src/sys:errno_name
  src/fault/call_kind.cc        # //src/fault:call_kind
  src/fault/errno_catalog.cc    # //src/fault:errno_catalog
  src/fault/fault_plan.cc       # //src/fault:fault_plan
)

# One judged run of a scenario: //src/explore:fuzz_targets and //fuzz:violation with
# their deps, beyond plan_sources (the three scenario fuzzers need these).
scenario_sources=(
  src/sys/sock_addr.cc          # //src/sys:sock_addr
  src/sys/unique_fd.cc          # //src/sys:syscalls
  src/sys/real_syscalls.cc      # //src/sys:real_syscalls
  src/sys/step_error.cc         # //src/sys:step_error
  src/sys/process_fds.cc        # //src/sys:process_fds
  src/sim/endpoint.cc           # //src/sim:endpoint
  src/sim/fd_table.cc           # //src/sim:fd_table
  src/sim/port_allocator.cc     # //src/sim:port_allocator
  src/sim/sim_config.cc         # //src/sim:sim_config
  src/sim/sim_kernel.cc         # //src/sim:sim_kernel
  src/sim/sim_settings.cc       # //src/sim:sim_settings
  src/sim/sim_socket.cc         # //src/sim:sim_socket
  src/sim/virtual_clock.cc      # //src/sim:virtual_clock
  src/fault/trace.cc            # //src/fault:trace
  src/fault/fault_injector.cc   # //src/fault:fault_injector
  src/fault/real_host_actors.cc # //src/fault:real_host_actors
  src/pair/socket_pair.cc       # //src/pair:socket_pair
  src/subjects/cpython.cc       # //src/subjects:cpython
  src/subjects/curl.cc          # //src/subjects:curl
  src/subjects/kafka_python.cc  # //src/subjects:kafka_python
  src/subjects/libevent.cc      # //src/subjects:libevent
  src/subjects/tor.cc           # //src/subjects:tor
  src/subjects/models.cc        # //src/subjects:models
  src/subjects/mutants.cc       # //src/subjects:mutants
  src/subjects/subject.cc       # //src/subjects:subject
  src/check/fd_ledger.cc        # //src/check:fd_ledger
  src/check/judge.cc            # //src/check:judge
  src/check/liveness.cc         # //src/check:liveness
  src/check/pair_proof.cc       # //src/check:pair_proof
  src/check/pair_validity.cc    # //src/check:pair_validity
  src/check/propagation.cc      # //src/check:propagation
  src/check/verdict.cc          # //src/check:verdict
  src/explore/world.cc          # //src/explore:world
  src/explore/run.cc            # //src/explore:run
  src/explore/shell_quote.cc    # //src/explore:shell_quote
  src/explore/scenario.cc       # //src/explore:scenario
  src/explore/fuzz_targets.cc   # //src/explore:fuzz_targets
  fuzz/violation.cc             # //fuzz:violation
)

# Prints the sources of fuzz target $1, one a line: the target's own file (never
# fuzz/replay_main.cc: $LIB_FUZZING_ENGINE provides main) and the libraries it needs.
sources_of() {
  case "$1" in
    fault_plan_fuzzer) printf '%s\n' "${plan_sources[@]}" ;;
    *) printf '%s\n' "${plan_sources[@]}" "${scenario_sources[@]}" ;;
  esac
  echo "fuzz/$1.cc"
}

# Abseil's pkg-config modules the sources above need (absl_status brings absl_cord,
# absl_strings brings string_view and numbers).
absl_modules=(absl_status absl_statusor absl_strings absl_str_format absl_time
              absl_hash absl_raw_hash_set absl_synchronization)

# Coverage feedback comes from the code under test, as in .bazelrc's libfuzzer-base
# config: the routines (src/pair, src/subjects), the plan parser and the targets.
# Everything else (the simulated kernel, the oracles, Abseil) is compiled without
# -fsanitize=fuzzer-no-link; a third of the time per input otherwise goes to
# tracing code nobody is fuzzing. Sanitizers still apply to all of it.
is_fuzzed_code() {
  [[ "$1" =~ ^(src/pair/|src/subjects/|src/fault/fault_plan\.cc$|fuzz/) ]]
}

case "${1:-}" in
  "") ;;
  --print-sources)
    for target in "${targets[@]}"; do
      echo "$target $(sources_of "$target" | sort | tr '\n' ' ' | sed 's/ $//')"
    done
    exit 0 ;;
  -h|--help)
    sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'
    exit 0 ;;
  *) die "unknown argument \"$1\" (try --help)" ;;
esac

# --- Environment --------------------------------------------------------------------

missing=()
for var in CC CXX LIB_FUZZING_ENGINE OUT; do
  if [ -z "${!var:-}" ]; then missing+=("\$$var"); fi
done
if [ "${#missing[@]}" -ne 0 ]; then
  die "${missing[*]} not set. OSS-Fuzz sets them; to build locally see
fuzz/oss-fuzz/README.md, e.g.
  flags='-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,fuzzer-no-link'
  CC=clang CXX=clang++ CFLAGS=\"\$flags\" CXXFLAGS=\"\$flags\" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \\
    OUT=/tmp/sockfi-oss-fuzz/out WORK=/tmp/sockfi-oss-fuzz/work bash fuzz/oss-fuzz/build.sh"
fi
CFLAGS=${CFLAGS:-}
CXXFLAGS=${CXXFLAGS:-}
jobs=${SOCKFI_JOBS:-$(nproc 2>/dev/null || echo 2)}
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "SOCKFI_JOBS=$jobs: expected a number of parallel compilations"

# The repository: $SRC/sockfi on OSS-Fuzz (where the Dockerfile puts it; this script is
# then $SRC/build.sh), or $SRC itself; $SRC defaults to the repository holding this
# script.
if [ -z "${SRC:-}" ]; then
  SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fi
if [ -f "$SRC/sockfi/fuzz/fault_plan_fuzzer.cc" ]; then
  root=$SRC/sockfi
elif [ -f "$SRC/fuzz/fault_plan_fuzzer.cc" ]; then
  root=$SRC
else
  die "cannot find sockfi's sources: neither \$SRC/sockfi nor \$SRC ($SRC) holds fuzz/fault_plan_fuzzer.cc"
fi
root=$(cd "$root" && pwd)

if [ -z "${WORK:-}" ]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/sockfi-oss-fuzz-work.XXXXXX")
fi
mkdir -p "$OUT" "$WORK"
OUT=$(cd "$OUT" && pwd)
WORK=$(cd "$WORK" && pwd)

need_tool() {  # need_tool COMMAND WHAT-FOR
  command -v "$1" >/dev/null 2>&1 || die "\"$1\" not found; it is needed $2"
}
# $CC and $CXX may carry flags ("clang -m32"); the first word is the program.
need_tool "${CC%% *}" "as the C compiler (\$CC=$CC)"
need_tool "${CXX%% *}" "as the C++ compiler (\$CXX=$CXX)"
need_tool zip "to write the seed corpora (apt-get install zip)"

read -r -a cc <<<"$CC"
read -r -a cxx <<<"$CXX"
read -r -a cxxflags <<<"$CXXFLAGS"
read -r -a engine <<<"$LIB_FUZZING_ENGINE"

# Flags for code that is not fuzzed (see is_fuzzed_code): the same, less the coverage
# instrumentation. -fno-sanitize=fuzzer-no-link is added only when the flags ask for
# it, so that other compilers and engines see nothing new.
no_coverage=()
if [[ " $CFLAGS $CXXFLAGS " == *fuzzer-no-link* ]]; then
  no_coverage=(-fno-sanitize=fuzzer-no-link)
fi

say "sources:  $root"
say "output:   $OUT"
say "scratch:  $WORK"
say "CXX=$CXX CXXFLAGS=$CXXFLAGS"
say "LIB_FUZZING_ENGINE=$LIB_FUZZING_ENGINE"

# --- Abseil ---------------------------------------------------------------------------

absl_cflags=()
absl_libs=()

# Abseil from the system, through pkg-config (Debian's libabsl-dev; shared libraries,
# so the binaries need them at run time: fine locally, not on OSS-Fuzz's runners).
use_system_absl() {
  local flags
  flags=$(pkg-config --cflags --libs "${absl_modules[@]}") ||
    die "pkg-config --cflags --libs ${absl_modules[*]} failed"
  read -r -a absl_libs <<<"$flags"
  say "Abseil:   the system's, through pkg-config ($(pkg-config --modversion absl_base 2>/dev/null || echo '?'))"
}

# Abseil built from $SRC/abseil-cpp with CMake, static, with the same compiler and
# flags as sockfi (so with libc++ and the sanitizers on OSS-Fuzz), installed in $WORK.
# Linking every installed libabsl_*.a in one group needs no pkg-config and no list of
# Abseil's internal libraries; the linker takes only what is used.
build_absl_from_source() {
  local absl_src=$SRC/abseil-cpp
  local build=$WORK/abseil-build
  local install=$WORK/abseil-install
  [ -f "$absl_src/CMakeLists.txt" ] ||
    die "Abseil is to be built from source (SOCKFI_ABSL=${SOCKFI_ABSL:-auto}), but $absl_src
has no CMakeLists.txt. The OSS-Fuzz Dockerfile clones it there:
  git clone --depth 1 --branch 20230802.1 https://github.com/abseil/abseil-cpp.git \$SRC/abseil-cpp
or install Debian's libabsl-dev and pkg-config (tools/setup.sh) to use the system's."
  need_tool cmake "to build Abseil from $absl_src (apt-get install cmake)"

  local lib_cflags="$CFLAGS ${no_coverage[*]}"
  local lib_cxxflags="$CXXFLAGS ${no_coverage[*]}"
  local stamp="$CC|$CXX|$lib_cflags|$lib_cxxflags|$absl_src"
  if [ -f "$install/sockfi-stamp" ] && [ "$(cat "$install/sockfi-stamp")" == "$stamp" ] &&
     compgen -G "$install/lib/libabsl_*.a" >/dev/null; then
    say "Abseil:   reusing $install (built earlier with the same compiler and flags)"
  else
    say "Abseil:   building $absl_src with CMake into $install"
    rm -rf "$build" "$install"
    local generator=()
    if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
    cmake -S "$absl_src" -B "$build" "${generator[@]}" \
      -DCMAKE_C_COMPILER="${cc[0]}" \
      -DCMAKE_CXX_COMPILER="${cxx[0]}" \
      -DCMAKE_C_FLAGS="${cc[*]:1} $lib_cflags" \
      -DCMAKE_CXX_FLAGS="${cxx[*]:1} $lib_cxxflags" \
      -DCMAKE_BUILD_TYPE= \
      -DCMAKE_CXX_STANDARD=17 \
      -DCMAKE_CXX_STANDARD_REQUIRED=ON \
      -DABSL_PROPAGATE_CXX_STD=ON \
      -DBUILD_SHARED_LIBS=OFF \
      -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
      -DBUILD_TESTING=OFF \
      -DABSL_BUILD_TESTING=OFF \
      -DABSL_ENABLE_INSTALL=ON \
      -DCMAKE_INSTALL_PREFIX="$install" \
      -DCMAKE_INSTALL_LIBDIR=lib ||
      die "CMake could not configure Abseil in $absl_src"
    cmake --build "$build" --parallel "$jobs" || die "building Abseil failed"
    cmake --install "$build" >/dev/null || die "installing Abseil into $install failed"
    compgen -G "$install/lib/libabsl_*.a" >/dev/null ||
      die "Abseil's build installed no $install/lib/libabsl_*.a"
    echo "$stamp" >"$install/sockfi-stamp"
  fi
  absl_cflags=(-I"$install/include")
  # shellcheck disable=SC2054  # the commas belong to -Wl,
  absl_libs=(-Wl,--start-group "$install"/lib/libabsl_*.a -Wl,--end-group)
}

absl_choice=${SOCKFI_ABSL:-auto}
case "$absl_choice" in
  system)
    need_tool pkg-config "to find the system's Abseil (SOCKFI_ABSL=system)"
    use_system_absl ;;
  source)
    build_absl_from_source ;;
  auto)
    if [[ " $CXXFLAGS " == *" -stdlib=libc++ "* ]]; then
      # OSS-Fuzz builds with libc++; a distribution's Abseil is built for libstdc++
      # and would not link (std::string differs), nor exist on OSS-Fuzz's runners.
      say "Abseil:   \$CXXFLAGS has -stdlib=libc++: building it from source"
      build_absl_from_source
    elif command -v pkg-config >/dev/null 2>&1 &&
         pkg-config --exists "${absl_modules[@]}" 2>/dev/null; then
      use_system_absl
    else
      say "Abseil:   pkg-config does not find ${absl_modules[*]}: building it from source"
      build_absl_from_source
    fi ;;
  *) die "SOCKFI_ABSL=$absl_choice: expected auto, system or source" ;;
esac

# --- Compile every needed source once --------------------------------------------------

obj_dir=$WORK/sockfi-obj
rm -rf "$obj_dir"
mkdir -p "$obj_dir"

mapfile -t all_sources < <(for target in "${targets[@]}"; do sources_of "$target"; done | sort -u)
for source in "${all_sources[@]}"; do
  [ -f "$root/$source" ] || die "$root/$source is missing (the lists in this script follow src/**/BUILD and fuzz/BUILD: update them)"
done

object_of() { echo "$obj_dir/${1%.cc}.o"; }

# Compiles $1; its compiler output (warnings are not errors here) is printed in one
# piece when it ends, so that parallel compilations do not interleave.
compile() {
  local source=$1 object log
  object=$(object_of "$source")
  log=$object.log
  mkdir -p "$(dirname "$object")"
  local extra=()
  if ! is_fuzzed_code "$source"; then extra=("${no_coverage[@]}"); fi
  if "${cxx[@]}" -std=c++17 "${cxxflags[@]}" "${extra[@]}" -pthread \
       -I"$root" "${absl_cflags[@]}" -c "$root/$source" -o "$object" >"$log" 2>&1; then
    cat "$log"
  else
    cat "$log" >&2
    echo "build.sh: error: compiling $source failed (command: ${cxx[*]} -std=c++17 $CXXFLAGS ${extra[*]} -pthread -I$root ${absl_cflags[*]} -c $root/$source)" >&2
    return 1
  fi
}

say "compiling ${#all_sources[@]} sources, $jobs at a time"
start=$SECONDS
pids=()
names=()
failed=()
for source in "${all_sources[@]}"; do
  if is_fuzzed_code "$source"; then
    echo "  CXX   $source (coverage-instrumented)"
  else
    echo "  CXX   $source"
  fi
  compile "$source" &
  pids+=("$!")
  names+=("$source")
  if [ "${#pids[@]}" -ge "$jobs" ]; then
    wait "${pids[0]}" || failed+=("${names[0]}")
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed+=("${names[$i]}")
done
if [ "${#failed[@]}" -ne 0 ]; then
  die "${#failed[@]} sources did not compile: ${failed[*]}"
fi
say "compiled in $((SECONDS - start)) s"

# --- Link each target and write its files to $OUT ----------------------------------------

for target in "${targets[@]}"; do
  mapfile -t sources < <(sources_of "$target")
  objects=()
  for source in "${sources[@]}"; do objects+=("$(object_of "$source")"); done

  echo "  LINK  $OUT/$target (${#objects[@]} objects)"
  "${cxx[@]}" "${cxxflags[@]}" -pthread "${objects[@]}" "${engine[@]}" "${absl_libs[@]}" \
      -o "$OUT/$target" ||
    die "linking $target failed"

  # Seeds: the files directly in corpus/X/ (named by their SHA-1), never regressions/.
  seed_dir=$root/corpus/$target
  mapfile -t seeds < <(find -L "$seed_dir" -mindepth 1 -maxdepth 1 -type f -printf '%f\n' 2>/dev/null | sort)
  [ "${#seeds[@]}" -gt 0 ] || die "$seed_dir has no seed files (tools/make_seeds.sh makes them)"
  rm -f "$OUT/${target}_seed_corpus.zip"
  (cd "$seed_dir" && printf '%s\n' "${seeds[@]}" | zip -q -X "$OUT/${target}_seed_corpus.zip" -@) ||
    die "zip could not write $OUT/${target}_seed_corpus.zip"
  echo "  ZIP   $OUT/${target}_seed_corpus.zip (${#seeds[@]} seeds)"

  for extension in options dict; do
    if [ -f "$root/fuzz/$target.$extension" ]; then
      cp "$root/fuzz/$target.$extension" "$OUT/$target.$extension"
      echo "  COPY  $OUT/$target.$extension"
    fi
  done
done

say "done: ${#targets[@]} fuzz targets in $OUT, in $((SECONDS)) s"
