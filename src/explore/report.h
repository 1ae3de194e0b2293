// Reports of an exploration: a text summary for people, JSON for programs.

#ifndef SOCKFI_SRC_EXPLORE_REPORT_H_
#define SOCKFI_SRC_EXPLORE_REPORT_H_

#include <string>
#include <vector>

#include "src/explore/explorer.h"

namespace sockfi {

// Returns the command that replays a finding: "sockfi run --plan='...'
// --subject=...
// --backend=...".
std::string ReplayCommand(const ExploreReport& report, const Finding& finding);

// Returns the text summary: schedules and rate, the (call × fault) table with
// how often each fault was handled or led to a violation, and for each
// violation kind the number of findings and the three with the shortest plans,
// each with the command that reproduces it (the JSON has them all).
std::string FormatReport(const ExploreReport& report);

// Returns {"subjects": [{"subject", "backend", "depth", "schedules", "seconds",
// "schedules_per_second", "baseline_calls", "truncated", "violations":
// [{"kind", "plan", "message"}], "faults": [{"call", "fault", "handled",
// "violations"}]}]}.
std::string ReportsToJson(const std::vector<ExploreReport>& reports);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_REPORT_H_
