#include "src/cli/explore_command.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "src/cli/backend_flags.h"
#include "src/cli/pair_flags.h"
#include "src/cli/preload_library.h"
#include "src/explore/command_explorer.h"
#include "src/explore/explorer.h"
#include "src/explore/html_report.h"
#include "src/explore/matrix.h"
#include "src/explore/report.h"

ABSL_FLAG(int32_t, depth, 0,
          "faults per schedule, at most (1 to 4; default 2, and 1 with "
          "--command)");
ABSL_FLAG(std::string, command, "",
          "explore this unmodified program instead of a subject: a shell "
          "command line, run under libsockfi_preload.so once per schedule");
ABSL_FLAG(std::string, json, "", "also write the report as JSON to this file");
ABSL_FLAG(std::string, html, "",
          "also write the report as one self-contained HTML page to this file");
ABSL_FLAG(uint64_t, max_schedules, 5000000,
          "stop after this many schedules (the report says so)");

namespace sockfi::cli {
namespace {

// On the real kernel a run waits for real: a flood costs the whole deadline.
constexpr absl::Duration kRealDeadline = absl::Milliseconds(300);
// A run that takes longer (a deadline reached, a flood) is not worth extending.
constexpr absl::Duration kRealSlowRun = absl::Milliseconds(20);

// Writes the reports to the files the user asked for; returns false (having
// said why) when writing failed.
bool WriteReports(const std::vector<ExploreReport>& reports,
                  const std::string& json_path, std::ofstream& json_file,
                  const std::string& html_path, std::ofstream& html_file) {
  if (html_file.is_open()) {
    html_file << ExploreReportsToHtml(reports);
    html_file.close();
    if (!html_file) {
      std::fprintf(stderr, "sockfi explore: writing %s failed\n",
                   html_path.c_str());
      return false;
    }
  }
  if (json_file.is_open()) {
    json_file << ReportsToJson(reports);
    json_file.close();
    if (!json_file) {
      std::fprintf(stderr, "sockfi explore: writing %s failed\n",
                   json_path.c_str());
      return false;
    }
  }
  return true;
}

// Explores an unmodified program (--command).
int ExploreProgram(const std::string& command, const ExploreOptions& options,
                   const std::string& json_path, std::ofstream& json_file,
                   const std::string& html_path, std::ofstream& html_file) {
  CommandSpec spec;
  spec.command = command;
  spec.adversarial = options.adversarial;
  const absl::Duration timeout = absl::GetFlag(FLAGS_command_timeout);
  spec.timeout =
      timeout == absl::InfiniteDuration() ? absl::Seconds(10) : timeout;
  absl::StatusOr<std::string> library =
      FindPreloadLibrary(absl::GetFlag(FLAGS_preload));
  if (!library.ok()) {
    std::fprintf(stderr, "sockfi explore: %s\n",
                 std::string(library.status().message()).c_str());
    return kExitUsage;
  }
  spec.preload_library = *library;
  std::printf(
      "command: each schedule runs `%s` in a fresh process under %s, killed "
      "after %s\n",
      command.c_str(), spec.preload_library.c_str(),
      absl::FormatDuration(spec.timeout).c_str());
  std::fflush(stdout);
  absl::StatusOr<ExploreReport> report = ExploreCommand(spec, options);
  if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\r%120s\r", "");
  if (!report.ok()) {
    std::fprintf(stderr, "sockfi explore: %s\n",
                 std::string(report.status().message()).c_str());
    return kExitFailure;
  }
  std::printf("%s\n", FormatReport(*report).c_str());
  const std::vector<ExploreReport> reports = {*report};
  if (!WriteReports(reports, json_path, json_file, html_path, html_file)) {
    return kExitFailure;
  }
  return report->findings.empty() ? kExitOk : kExitFailure;
}

int RunExplore(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "sockfi explore: unexpected argument \"%s\"\n",
                 args[0].c_str());
    return kExitUsage;
  }
  const std::string command = absl::GetFlag(FLAGS_command);
  int depth = absl::GetFlag(FLAGS_depth);
  if (depth == 0) depth = command.empty() ? 2 : 1;
  if (depth < 1 || depth > 4) {
    std::fprintf(stderr, "sockfi explore: --depth=%d: expected 1 to 4\n",
                 depth);
    return kExitUsage;
  }
  absl::StatusOr<BackendChoice> backend = ReadBackendFlags();
  if (!backend.ok()) {
    std::fprintf(stderr, "sockfi explore: %s\n",
                 std::string(backend.status().message()).c_str());
    return kExitUsage;
  }
  ExploreOptions options;
  std::string error = ReadPairOptions(&options.pair_options);
  if (!error.empty()) {
    std::fprintf(stderr, "sockfi explore: %s\n", error.c_str());
    return kExitUsage;
  }
  const std::string json_path = absl::GetFlag(FLAGS_json);
  std::ofstream json_file;
  if (!json_path.empty()) {
    json_file.open(json_path);
    if (!json_file) {
      std::fprintf(stderr,
                   "sockfi explore: --json=%s: cannot write that file\n",
                   json_path.c_str());
      return kExitUsage;
    }
  }
  const std::string html_path = absl::GetFlag(FLAGS_html);
  std::ofstream html_file;
  if (!html_path.empty()) {
    html_file.open(html_path);
    if (!html_file) {
      std::fprintf(stderr,
                   "sockfi explore: --html=%s: cannot write that file\n",
                   html_path.c_str());
      return kExitUsage;
    }
  }
  options.depth = depth;
  options.sim = backend->sim;
  options.adversarial = backend->adversarial;
  options.max_schedules = absl::GetFlag(FLAGS_max_schedules);
  options.half_open = backend->backend == BackendKind::kSim;
  if (backend->backend == BackendKind::kReal &&
      options.pair_options.timeout > kRealDeadline) {
    options.pair_options.timeout = kRealDeadline;
  }
  if (backend->backend == BackendKind::kReal) {
    options.extend_runs_up_to = kRealSlowRun;
    std::printf(
        "real backend: each run's deadline is %s, and runs slower than %s are "
        "not extended\n",
        absl::FormatDuration(options.pair_options.timeout).c_str(),
        absl::FormatDuration(kRealSlowRun).c_str());
  }
  const bool progress = isatty(STDERR_FILENO);
  absl::Time last_progress = absl::InfinitePast();
  std::string subject_label;  // "kafka_python (2/7) " when there are several
  options.on_progress = [&](const ExploreProgress& p) {
    if (!progress || absl::Now() - last_progress < absl::Milliseconds(100))
      return;
    last_progress = absl::Now();
    const double total = static_cast<double>(p.done + p.pending);
    const int filled = total > 0 ? static_cast<int>(30 * p.done / total) : 30;
    std::fprintf(stderr,
                 "\r%s[%s%s] depth %d: %llu schedules run, %llu queued, "
                 "%llu with a violation ",
                 subject_label.c_str(), std::string(filled, '=').c_str(),
                 std::string(30 - filled, ' ').c_str(), p.level,
                 static_cast<unsigned long long>(p.done),
                 static_cast<unsigned long long>(p.pending),
                 static_cast<unsigned long long>(p.violating));
  };

  std::vector<ExploreReport> reports;
  if (!command.empty()) {
    return ExploreProgram(command, options, json_path, json_file, html_path,
                          html_file);
  }
  const size_t count = backend->subjects.size();
  for (size_t i = 0; i < count; ++i) {
    const Subject& subject = *backend->subjects[i];
    if (count > 1) {
      subject_label =
          absl::StrFormat("%s (%d/%d) ", subject.name, i + 1, count);
    }
    ExploreReport report =
        Explore(subject, backend->backend, backend->make_world, options);
    if (progress) std::fprintf(stderr, "\r%120s\r", "");
    if (count == 1) std::printf("%s\n", FormatReport(report).c_str());
    reports.push_back(std::move(report));
  }
  if (count > 1) std::printf("%s", FormatMatrix(reports).c_str());
  if (!WriteReports(reports, json_path, json_file, html_path, html_file)) {
    return kExitFailure;
  }
  return HardenedViolates(reports) ? kExitFailure : kExitOk;
}

}  // namespace

Command ExploreCommand() {
  return Command{
      "explore",
      "try every realistic fault at every call, to a depth; report minimal "
      "plans",
      "sockfi explore [--subject=hardened|NAME,NAME...|all] [--depth=N] "
      "[--backend=sim|real] [--adversarial] [--json=FILE] [--html=FILE]\n"
      "       sockfi explore --command='PROGRAM ARGS...' [--depth=N] "
      "[--command_timeout=10s] [--preload=PATH] [--adversarial]",
      "Records the subject's fault-free run, then runs it once per schedule: "
      "every call occurrence\n"
      "× every errno the catalog lists for it (and short transfers, foreign "
      "clients and floods\n"
      "after listen, fd limits), extended from each new run's trace up to "
      "--depth faults. Every\n"
      "violation is minimised to the fewest faults that still cause it and "
      "printed with the\n"
      "`sockfi run` command that reproduces it.\n"
      "\n"
      "One subject: prints a table of each fault (how often it was handled, "
      "how often it led to a\n"
      "violation) and the findings by kind. Several (--subject=all, or a "
      "list): prints the matrix,\n"
      "one row a subject, one column a kind of violation, each cell the number "
      "of distinct minimal\n"
      "plans, then the shortest plan of each cell and the mutation score (how "
      "many mutants were\n"
      "caught by the violation they were planted for). --json and --html hold "
      "every finding.\n"
      "\n"
      "On the real backend each run's deadline is cut to 300ms, and schedules "
      "whose run took\n"
      "longer than 20ms are not extended.\n"
      "\n"
      "--command explores an unmodified, dynamically linked program instead: "
      "its fault-free run\n"
      "(which must exit 0) is traced under libsockfi_preload.so, then every "
      "schedule runs it in\n"
      "a fresh process (depth 1 unless --depth says more), killed after "
      "--command_timeout (10s)\n"
      "as a hang. A run is judged from outside: hang, crash (a signal), leak "
      "(the interposer's\n"
      "report at exit), swallowed-error (a fatal fault, yet exit 0), "
      "unexpected-error (exit\n"
      "non-zero after only retryable faults). Findings replay with `sockfi "
      "inject`.\n"
      "\n"
      "Exit status: 1 only when `hardened` was explored and has a violation "
      "(the models and the\n"
      "mutants are expected to have some), or the --command program has a "
      "finding or cannot be\n"
      "explored; 2 for bad arguments, else 0.",
      WithBackendFlags(
          WithPairFlags({"depth", "json", "html", "max_schedules", "command",
                         "command_timeout", "preload"})),
      &RunExplore,
  };
}

}  // namespace sockfi::cli
