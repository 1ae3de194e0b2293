"""sockfi_fuzz_test: a libFuzzer target with the conventions of rules_fuzzing.

For a target X it defines
  X        a cc_test (tag "fuzz-test") that replays corpus/X/ and corpus/X/regressions/
           through fuzz/replay_main.cc, so plain `bazel test //...` checks every corpus
           under GCC; it fails when the corpus is empty or an input crashes, naming it;
  X_bin    the libFuzzer binary (tag "manual"): build it with a libFuzzer config,
           e.g. bazel build --config=asan-libfuzzer //fuzz:X_bin;
  X_run    runs X_bin on a copy of its corpus (tag "manual"):
           bazel run --config=asan-libfuzzer //fuzz:X_run -- --timeout_secs=30
           (see fuzz/run_fuzzer.sh for --clean, the output folder and pass-through flags).
"""

def sockfi_fuzz_test(name, srcs, deps = [], dict = None, options = None, env = {},
                     visibility = None):
    corpus = "//corpus:" + name
    native.cc_test(
        name = name,
        srcs = srcs,
        deps = deps + ["//fuzz:replay_main"],
        data = [corpus],
        # Folders, not files: an empty corpus must fail when the test runs, with a
        # message, not stop the analysis of //... .
        args = ["corpus/" + name, "corpus/%s/regressions" % name],
        env = env,
        tags = ["fuzz-test"],
        visibility = visibility,
    )
    native.cc_binary(
        name = name + "_bin",
        srcs = srcs,
        deps = deps,
        linkopts = ["-fsanitize=fuzzer"],
        tags = ["manual", "fuzz-bin"],
        # The OSS-Fuzz build test reads what each binary is built from.
        visibility = ["//tests/oss_fuzz:__pkg__"],
    )
    data = [":" + name + "_bin", corpus]
    args = [
        "--name=" + name,
        "--binary=$(location :%s_bin)" % name,
        "--corpus_dir=corpus/" + name,
    ]
    if dict:
        data.append(dict)
        args.append("--dict=$(location %s)" % dict)
    if options:
        data.append(options)
        args.append("--options=$(location %s)" % options)
    native.sh_binary(
        name = name + "_run",
        srcs = ["//fuzz:run_fuzzer.sh"],
        data = data,
        args = args,
        tags = ["manual"],
    )
