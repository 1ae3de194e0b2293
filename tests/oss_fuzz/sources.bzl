"""fuzz_target_sources: the workspace source files a libFuzzer target is built from.

`bazel query` cannot feed a test, and a glob cannot reach into other packages, so this
rule follows `deps` from the given labels with an aspect and collects the `srcs` and
`hdrs` of every rule of this workspace on the way: what Bazel compiles for the target,
nothing else. It provides them as runfiles, under their workspace paths, and writes

    NAME.txt         one line "FUZZ_TARGET SOURCE.cc SOURCE.cc ..." (sorted), to check a
                     hand-kept list of sources (fuzz/oss-fuzz/build.sh's) against Bazel's.

Nothing is compiled: the labels are only analysed.
"""

_SourcesInfo = provider(
    doc = "Source files of this workspace that a target and its deps are built from.",
    fields = {"files": "depset of File"},
)

def _collect_sources_impl(target, ctx):
    direct = []
    if target.label.workspace_name == "":
        for attr in ("srcs", "hdrs", "textual_hdrs"):
            for f in getattr(ctx.rule.files, attr, []):
                if f.is_source:
                    direct.append(f)
    transitive = [
        dep[_SourcesInfo].files
        for dep in getattr(ctx.rule.attr, "deps", [])
        if _SourcesInfo in dep
    ]
    return [_SourcesInfo(files = depset(direct, transitive = transitive))]

_collect_sources = aspect(
    implementation = _collect_sources_impl,
    attr_aspects = ["deps"],
)

def _fuzz_target_sources_impl(ctx):
    files = []
    for dep in ctx.attr.srcs:
        if _SourcesInfo in dep:
            files.append(dep[_SourcesInfo].files)  # a rule: its sources and its deps'
        else:
            files.append(dep.files)  # a source file
    files = depset(transitive = files)
    cc = [f.short_path for f in files.to_list() if f.extension == "cc"]
    sources = ctx.actions.declare_file(ctx.label.name + ".txt")
    ctx.actions.write(sources, " ".join([ctx.attr.fuzz_target] + sorted(cc)) + "\n")
    return [DefaultInfo(
        files = depset([sources]),
        runfiles = ctx.runfiles(files = [sources], transitive_files = files),
    )]

fuzz_target_sources = rule(
    implementation = _fuzz_target_sources_impl,
    attrs = {
        "fuzz_target": attr.string(
            mandatory = True,
            doc = "the fuzz target's name, the first word of NAME.txt",
        ),
        "srcs": attr.label_list(
            aspects = [_collect_sources],
            allow_files = True,
            doc = "what the target is built from: source files, cc rules (followed " +
                  "through their deps), or the fuzz binary itself",
        ),
    },
    doc = "Collects the workspace sources of a fuzz target, with a list of its .cc files.",
)
