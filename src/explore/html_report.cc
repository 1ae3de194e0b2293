#include "src/explore/html_report.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/check/verdict.h"
#include "src/explore/matrix.h"
#include "src/explore/report.h"
#include "src/explore/world.h"
#include "src/subjects/subject.h"

namespace sockfi {
namespace {

// Findings of one kind shown before the rest is folded into a <details>.
constexpr size_t kFindingsShownPerKind = 5;
// A kind with at most this many findings is shown whole.
constexpr size_t kFindingsNeverFolded = 8;

// The heat map's rows, in the order the emulation makes the calls; calls the
// tallies hold that are not listed here follow in alphabetical order.
constexpr absl::string_view kCallOrder[] = {
    "socket", "bind", "listen",     "getsockname", "connect",
    "accept", "poll", "getsockopt", "getpeername", "fcntl",
    "send",   "recv", "close",      "other"};

// The host actors, in the order the explorer starts them.
constexpr absl::string_view kActorOrder[] = {"foreign", "flood", "impostor",
                                             "halfopen"};

constexpr absl::string_view kStyle = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0; padding: 24px 32px 48px; background: #fafafa; color: #1d232a;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
        "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1300px; margin: 0 auto; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 12px;
     border-top: 2px solid #d5dae0; }
h3 { font-size: 17px; margin: 24px 0 8px; }
h4 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
a { color: #1554a8; }
code, pre, .mono {
  font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo,
               Consolas, monospace;
  font-size: 13px;
}
.muted { color: #5f6b78; }
.warn { color: #a2300e; font-weight: 600; }
.summary { background: #fff; border: 1px solid #d5dae0; border-radius: 6px;
           padding: 10px 16px; margin: 12px 0 8px; }
.summary b { font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid #d5dae0; padding: 4px 8px; }
th { background: #eef1f4; font-weight: 600; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.stats td:first-child { color: #5f6b78; }
.scroll { overflow-x: auto; max-width: 100%; }
/* the matrix */
table.matrix th.col { text-align: center; cursor: help; }
table.matrix td.cell { text-align: center; min-width: 44px;
                       font-variant-numeric: tabular-nums; font-weight: 600; }
table.matrix td.subject, table.matrix td.verdict,
table.matrix th { white-space: nowrap; }
table.matrix td.cell { padding: 4px 6px; }
td.n0 { color: #9aa4ae; font-weight: 400; }
td.n1 { background: #fde4c8; }
td.n2 { background: #f9bd85; }
td.n3 { background: #f08a55; }
td.n4 { background: #cf3f2b; color: #fff; }
td.planted { outline: 3px solid #1554a8; outline-offset: -3px; }
.caught { color: #1d6b2c; font-weight: 600; }
.missed { color: #b01d12; font-weight: 600; }
/* the heat map */
table.heat td.h { width: 36px; min-width: 36px; height: 26px; padding: 2px 3px;
                  text-align: center; font-size: 12px;
                  font-variant-numeric: tabular-nums; }
table.heat td.never { background: #e4e7eb; }
table.heat th.fault { vertical-align: bottom; padding: 6px 2px;
                      text-align: left; }
table.heat th.fault span { writing-mode: vertical-rl; transform: rotate(180deg);
                           white-space: nowrap; font-weight: 500; font-size: 12px; }
table.heat th.call { white-space: nowrap; font-weight: 500; }
/* legends */
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center;
          margin: 8px 0; font-size: 13px; }
.legend .sw { display: inline-block; width: 22px; height: 16px;
              border: 1px solid #b9c0c8; vertical-align: middle;
              margin-right: 5px; }
dl.columns { display: grid; grid-template-columns: max-content 1fr;
             gap: 2px 14px; margin: 8px 0; font-size: 13px; }
dl.columns dt { font-weight: 600; }
dl.columns dd { margin: 0; }
/* findings */
.kind { margin: 14px 0; }
.finding { background: #fff; border: 1px solid #d5dae0;
           border-left: 4px solid #cf3f2b; border-radius: 4px;
           padding: 6px 12px; margin: 6px 0; }
.finding .msg { margin-bottom: 3px; }
.finding .row { display: flex; gap: 10px; align-items: baseline; }
.finding .lbl { flex: 0 0 52px; color: #5f6b78; font-size: 12px;
                text-transform: uppercase; letter-spacing: 0.04em; }
.finding code { white-space: pre-wrap; word-break: break-all; }
.finding code.cmd { background: #f1f3f5; padding: 1px 4px; border-radius: 3px; }
details > summary { cursor: pointer; color: #1554a8; margin: 6px 0; }
.none { color: #1d6b2c; font-weight: 600; }
)css";

std::string Esc(absl::string_view text) { return HtmlEscape(text); }

std::string FormatSeconds(double seconds) {
  return absl::StrFormat("%.2f", seconds);
}

std::string Plural(uint64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// The CSS class of a matrix cell with `n` findings.
absl::string_view CountClass(int n) {
  if (n <= 0) return "n0";
  if (n == 1) return "n1";
  if (n <= 4) return "n2";
  if (n <= 19) return "n3";
  return "n4";
}

// The background of a heat-map cell: green when every schedule where the fault
// fired was clean, red when every one had a violation, and in between from
// yellow (few) to orange-red (most) by the fraction of violations.
std::string HeatColour(uint64_t handled, uint64_t violations) {
  const uint64_t fired = handled + violations;
  if (violations == 0) return "hsl(130,45%,72%)";
  if (handled == 0) return "hsl(2,72%,62%)";
  const double fraction = static_cast<double>(violations) / fired;
  const double hue = 55 - 45 * fraction;  // 55 yellow .. 10 orange-red
  const double lightness = 72 - 8 * fraction;
  return absl::StrFormat("hsl(%.0f,85%%,%.0f%%)", hue, lightness);
}

int CallRank(absl::string_view call) {
  for (size_t i = 0; i < std::size(kCallOrder); ++i) {
    if (kCallOrder[i] == call) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(kCallOrder));
}

// Faults in column order: errnos (alphabetical, a forced timing next to its
// errno), short transfers, actors, fd limits, then anything else.
std::pair<int, int> FaultRank(absl::string_view fault) {
  for (size_t i = 0; i < std::size(kActorOrder); ++i) {
    if (kActorOrder[i] == fault) return {2, static_cast<int>(i)};
  }
  if (absl::StrContains(fault, "fdlimit")) return {3, 0};
  if (absl::StartsWith(fault, "short")) return {1, 0};
  if (!fault.empty() && fault[0] == 'E') return {0, 0};
  return {4, 0};
}

std::vector<std::string> OrderedCalls(const ExploreReport& report) {
  std::set<std::string> calls;
  for (const auto& entry : report.tallies) calls.insert(entry.first.first);
  std::vector<std::string> ordered(calls.begin(), calls.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const std::string& a, const std::string& b) {
                     return CallRank(a) < CallRank(b);
                   });
  return ordered;
}

std::vector<std::string> OrderedFaults(const ExploreReport& report) {
  std::set<std::string> faults;
  for (const auto& entry : report.tallies) faults.insert(entry.first.second);
  std::vector<std::string> ordered(faults.begin(), faults.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const std::string& a, const std::string& b) {
                     return FaultRank(a) < FaultRank(b);
                   });
  return ordered;
}

// The number of rules in a plan's text ("a; b" has two).
size_t RuleCount(absl::string_view plan) {
  return 1 + std::count(plan.begin(), plan.end(), ';');
}

std::string SubjectId(size_t index) { return absl::StrCat("subject-", index); }

// What the matrix says about a mutant's planted bug, or nullopt for a subject
// with none.
struct PlantedStatus {
  std::string violation;      // the name the subject gives
  std::optional<int> column;  // its matrix column; nullopt for an unknown name
  int findings = 0;           // findings in that column
};

std::optional<PlantedStatus> PlantedFor(const Subject* subject,
                                        const MatrixRow& row) {
  if (subject == nullptr || subject->planted_violation.empty()) {
    return std::nullopt;
  }
  PlantedStatus status;
  status.violation = subject->planted_violation;
  const std::optional<ViolationKind> kind =
      ViolationKindFromName(subject->planted_violation);
  if (kind.has_value()) {
    const int column = MatrixColumnOf(*kind);
    if (column >= 0 && static_cast<size_t>(column) < row.cells.size()) {
      status.column = column;
      status.findings = row.cells[column].findings;
    }
  }
  return status;
}

void AppendSummary(const std::vector<ExploreReport>& reports,
                   std::string* html) {
  std::set<std::string> backends;
  std::set<int> depths;
  uint64_t schedules = 0;
  double seconds = 0;
  size_t findings = 0;
  std::vector<std::string> truncated;
  for (const ExploreReport& report : reports) {
    backends.insert(std::string(BackendName(report.backend)));
    depths.insert(report.depth);
    schedules += report.schedules;
    seconds += report.seconds;
    findings += report.findings.size();
    if (report.truncated) truncated.push_back(report.subject);
  }
  absl::StrAppend(html, "<div class=\"summary\"><p><b>", reports.size(),
                  "</b> subject", reports.size() == 1 ? "" : "s",
                  " · backend <b>", Esc(absl::StrJoin(backends, ", ")),
                  "</b> · depth <b>", Esc(absl::StrJoin(depths, ", ")),
                  "</b> · <b>", schedules, "</b> schedules in <b>",
                  FormatSeconds(seconds), "</b> s · <b>", findings,
                  "</b> finding", findings == 1 ? "" : "s",
                  " (distinct minimal plans)</p>");
  if (!truncated.empty()) {
    absl::StrAppend(html, "<p class=\"warn\">Stopped at --max_schedules: ",
                    Esc(absl::StrJoin(truncated, ", ")),
                    " (the exploration is incomplete).</p>");
  }
  absl::StrAppend(html, "</div>\n");
}

void AppendMatrix(const std::vector<MatrixRow>& rows, std::string* html) {
  const std::vector<MatrixColumn>& columns = MatrixColumns();
  absl::StrAppend(
      html, "<section id=\"matrix\"><h2>Matrix</h2>\n",
      "<p class=\"muted\">One row per subject, one column per group of "
      "violation kinds; each cell counts the distinct minimal plans that led "
      "to a violation of that group (hover a header for its meaning, a cell "
      "for its shortest plan). A mutant's planted column is outlined.</p>\n",
      "<div class=\"scroll\"><table class=\"matrix\"><thead><tr>"
      "<th>subject</th>");
  for (const MatrixColumn& column : columns) {
    absl::StrAppend(html, "<th class=\"col\" title=\"", Esc(column.meaning),
                    "\">", Esc(column.name), "</th>");
  }
  absl::StrAppend(html,
                  "<th class=\"num\">findings</th><th>planted bug</th>"
                  "</tr></thead>\n<tbody>\n");
  for (size_t r = 0; r < rows.size(); ++r) {
    const MatrixRow& row = rows[r];
    const ExploreReport& report = *row.report;
    const std::optional<PlantedStatus> planted =
        PlantedFor(FindSubject(report.subject), row);
    absl::StrAppend(html, "<tr><td class=\"subject\"><a href=\"#", SubjectId(r),
                    "\" title=\"",
                    Esc(absl::StrCat(report.schedules, " schedules in ",
                                     FormatSeconds(report.seconds), " s")),
                    "\">", Esc(report.subject), "</a></td>");
    for (size_t c = 0; c < row.cells.size() && c < columns.size(); ++c) {
      const MatrixCell& cell = row.cells[c];
      const bool is_planted = planted.has_value() &&
                              planted->column.has_value() &&
                              static_cast<size_t>(*planted->column) == c;
      std::string title = absl::StrCat(
          columns[c].name, ": ", Plural(cell.findings, "finding", "findings"));
      if (cell.shortest.has_value()) {
        absl::StrAppend(&title, "; shortest plan: ", cell.shortest->plan);
      }
      if (is_planted) {
        absl::StrAppend(&title,
                        " (the column the planted bug must be caught in)");
      }
      absl::StrAppend(html, "<td class=\"cell ", CountClass(cell.findings),
                      is_planted ? " planted" : "", "\" title=\"", Esc(title),
                      "\">");
      if (cell.findings > 0) {
        absl::StrAppend(html, cell.findings);
      } else {
        absl::StrAppend(html, "·");
      }
      absl::StrAppend(html, "</td>");
    }
    absl::StrAppend(html, "<td class=\"num\">", row.findings, "</td>");
    if (!planted.has_value()) {
      absl::StrAppend(html,
                      "<td class=\"verdict\"><span class=\"muted\">—"
                      "</span></td>");
    } else if (!planted->column.has_value()) {
      absl::StrAppend(html, "<td class=\"verdict\" title=\"planted as ",
                      Esc(planted->violation),
                      ", which is not a violation kind\"><span "
                      "class=\"missed\">✗ unknown kind</span></td>");
    } else {
      const bool caught = planted->findings > 0;
      absl::StrAppend(html, "<td class=\"verdict\" title=\"planted as ",
                      Esc(planted->violation), ": ",
                      caught ? absl::StrCat(planted->findings, " in column ")
                             : "none in column ",
                      Esc(MatrixColumns()[*planted->column].name), "\">",
                      caught ? "<span class=\"caught\">✓ caught</span>"
                             : "<span class=\"missed\">✗ missed</span>",
                      "</td>");
    }
    absl::StrAppend(html, "</tr>\n");
  }
  absl::StrAppend(html, "</tbody></table></div>\n");
  absl::StrAppend(
      html,
      "<div class=\"legend\"><span><span class=\"sw\" style=\"background:#fff"
      "\"></span>· none</span><span><span class=\"sw\" "
      "style=\"background:#fde4c8\"></span>1</span><span><span class=\"sw\" "
      "style=\"background:#f9bd85\"></span>2–4</span><span><span class=\"sw\" "
      "style=\"background:#f08a55\"></span>5–19</span><span><span class=\"sw\" "
      "style=\"background:#cf3f2b\"></span>20 or more</span>"
      "<span><span class=\"sw\" style=\"outline:3px solid #1554a8;"
      "outline-offset:-3px\"></span>planted column</span></div>\n");
  absl::StrAppend(html, "<dl class=\"columns\">");
  for (const MatrixColumn& column : columns) {
    std::vector<std::string> kinds;
    for (const ViolationKind kind : column.kinds) {
      kinds.push_back(std::string(ViolationName(kind)));
    }
    absl::StrAppend(html, "<dt>", Esc(column.name), "</dt><dd>",
                    Esc(column.meaning), " <span class=\"muted\">(",
                    Esc(absl::StrJoin(kinds, ", ")), ")</span></dd>");
  }
  absl::StrAppend(html, "</dl></section>\n");
}

void AppendHeatLegend(std::string* html) {
  absl::StrAppend(
      html,
      "<div class=\"legend\"><span><span class=\"sw\" style=\"background:",
      HeatColour(1, 0), "\"></span>all handled</span>");
  for (const int percent : {10, 50, 90}) {
    absl::StrAppend(html, "<span><span class=\"sw\" style=\"background:",
                    HeatColour(100 - percent, percent), "\"></span>", percent,
                    "% violations</span>");
  }
  absl::StrAppend(
      html, "<span><span class=\"sw\" style=\"background:", HeatColour(0, 1),
      "\"></span>all violations</span>",
      "<span><span class=\"sw\" style=\"background:#e4e7eb\"></span>never "
      "fired</span><span class=\"muted\">A cell shows the schedules where the "
      "fault fired, as violations/fired when some went wrong.</span></div>\n");
}

void AppendHeatMap(const ExploreReport& report, std::string* html) {
  absl::StrAppend(html, "<h3>Faults: call × fault</h3>\n");
  if (report.tallies.empty()) {
    absl::StrAppend(html, "<p class=\"muted\">No fault fired.</p>\n");
    return;
  }
  const std::vector<std::string> calls = OrderedCalls(report);
  const std::vector<std::string> faults = OrderedFaults(report);
  AppendHeatLegend(html);
  absl::StrAppend(html,
                  "<div class=\"scroll\"><table class=\"heat\"><thead><tr>"
                  "<th>call \\ fault</th>");
  for (const std::string& fault : faults) {
    absl::StrAppend(html, "<th class=\"fault\"><span>", Esc(fault),
                    "</span></th>");
  }
  absl::StrAppend(html, "</tr></thead>\n<tbody>\n");
  for (const std::string& call : calls) {
    absl::StrAppend(html, "<tr><th class=\"call\">", Esc(call), "</th>");
    for (const std::string& fault : faults) {
      const auto it = report.tallies.find({call, fault});
      const uint64_t handled =
          it == report.tallies.end() ? 0 : it->second.handled;
      const uint64_t violations =
          it == report.tallies.end() ? 0 : it->second.violations;
      const std::string title = absl::StrCat(
          call, " × ", fault, ": ", handled, " handled, ", violations,
          violations == 1 ? " violation" : " violations");
      if (handled + violations == 0) {
        absl::StrAppend(html, "<td class=\"h never\" title=\"", Esc(title),
                        "\"></td>");
        continue;
      }
      absl::StrAppend(html, "<td class=\"h\" style=\"background:",
                      HeatColour(handled, violations), "\" title=\"",
                      Esc(title), "\">");
      if (violations == 0) {
        absl::StrAppend(html, handled);
      } else {
        absl::StrAppend(html, violations, "/", handled + violations);
      }
      absl::StrAppend(html, "</td>");
    }
    absl::StrAppend(html, "</tr>\n");
  }
  absl::StrAppend(html, "</tbody></table></div>\n");
}

void AppendFinding(const ExploreReport& report, const Finding& finding,
                   std::string* html) {
  absl::StrAppend(html, "<div class=\"finding\"><div class=\"msg\">",
                  Esc(finding.message),
                  "</div><div class=\"row\"><span class=\"lbl\">plan</span>"
                  "<code>",
                  Esc(finding.plan),
                  "</code></div><div class=\"row\"><span class=\"lbl\">replay"
                  "</span><code class=\"cmd\">",
                  Esc(ReplayCommand(report, finding)), "</code></div></div>\n");
}

void AppendFindings(const ExploreReport& report, std::string* html) {
  absl::StrAppend(html, "<h3>Findings</h3>\n");
  if (report.findings.empty()) {
    absl::StrAppend(html, "<p class=\"none\">No violation.</p>\n");
    return;
  }
  // Group by kind (in ViolationKind order), shortest plans first in a group.
  std::map<ViolationKind, std::vector<const Finding*>> by_kind;
  for (const Finding& finding : report.findings) {
    by_kind[finding.kind].push_back(&finding);
  }
  absl::StrAppend(html, "<p>",
                  Plural(report.findings.size(), "finding", "findings"),
                  " (distinct minimal plans): ");
  bool first = true;
  for (const auto& [kind, findings] : by_kind) {
    absl::StrAppend(html, first ? "" : ", ", "<b>", Esc(ViolationName(kind)),
                    "</b> ", findings.size());
    first = false;
  }
  absl::StrAppend(html, ".</p>\n");
  for (auto& [kind, findings] : by_kind) {
    std::stable_sort(findings.begin(), findings.end(),
                     [](const Finding* a, const Finding* b) {
                       const size_t rules_a = RuleCount(a->plan);
                       const size_t rules_b = RuleCount(b->plan);
                       if (rules_a != rules_b) return rules_a < rules_b;
                       return a->plan.size() < b->plan.size();
                     });
    absl::StrAppend(html, "<div class=\"kind\"><h4>", Esc(ViolationName(kind)),
                    " <span class=\"muted\">(", findings.size(),
                    ")</span></h4>\n");
    const size_t shown = findings.size() <= kFindingsNeverFolded
                             ? findings.size()
                             : kFindingsShownPerKind;
    for (size_t i = 0; i < shown; ++i)
      AppendFinding(report, *findings[i], html);
    if (shown < findings.size()) {
      absl::StrAppend(html, "<details><summary>", findings.size() - shown,
                      " more ", Esc(ViolationName(kind)), " finding",
                      findings.size() - shown == 1 ? "" : "s", "</summary>\n");
      for (size_t i = shown; i < findings.size(); ++i) {
        AppendFinding(report, *findings[i], html);
      }
      absl::StrAppend(html, "</details>\n");
    }
    absl::StrAppend(html, "</div>\n");
  }
}

void AppendSubject(const ExploreReport& report, const MatrixRow& row,
                   size_t index, std::string* html) {
  const Subject* subject = FindSubject(report.subject);
  absl::StrAppend(html, "<section id=\"", SubjectId(index), "\"><h2>",
                  Esc(report.subject), "</h2>\n");
  if (subject != nullptr) {
    absl::StrAppend(html, "<p>", Esc(subject->description), "</p>\n",
                    "<p class=\"muted\">Reference: ", Esc(subject->reference),
                    "</p>\n");
    const std::optional<PlantedStatus> planted = PlantedFor(subject, row);
    if (planted.has_value()) {
      absl::StrAppend(html, "<p>Planted bug, to be caught as <b>",
                      Esc(planted->violation), "</b>: ");
      if (!planted->column.has_value()) {
        absl::StrAppend(html,
                        "<span class=\"missed\">not a violation kind</span>");
      } else if (planted->findings > 0) {
        absl::StrAppend(
            html, "<span class=\"caught\">caught (",
            Plural(planted->findings, "finding", "findings"), " in column ",
            Esc(MatrixColumns()[*planted->column].name), ")</span>");
      } else {
        absl::StrAppend(html,
                        "<span class=\"missed\">missed (no finding in "
                        "column ",
                        Esc(MatrixColumns()[*planted->column].name),
                        ")</span>");
      }
      absl::StrAppend(html, "</p>\n");
    }
  } else {
    absl::StrAppend(html,
                    "<p class=\"muted\">(not a registered subject: no "
                    "description)</p>\n");
  }
  absl::StrAppend(
      html, "<table class=\"stats\"><tbody>", "<tr><td>backend</td><td>",
      Esc(BackendName(report.backend)), "</td></tr><tr><td>depth</td><td>",
      report.depth, "</td></tr><tr><td>schedules</td><td>", report.schedules,
      report.truncated ? " <span class=\"warn\">(stopped at "
                         "--max_schedules)</span>"
                       : "",
      "</td></tr><tr><td>time</td><td>", FormatSeconds(report.seconds), " s (",
      absl::StrFormat("%.0f", report.rate()),
      " schedules/s)</td></tr><tr><td>fault-free run</td><td>",
      Plural(report.baseline_calls, "call", "calls"),
      "</td></tr><tr><td>adversarial</td><td>",
      report.adversarial ? "yes" : "no", "</td></tr></tbody></table>\n");
  AppendHeatMap(report, html);
  AppendFindings(report, html);
  absl::StrAppend(html, "<p><a href=\"#top\">↑ top</a></p></section>\n");
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') ||
            c == 0x7f) {
          out += "\xEF\xBF\xBD";  // U+FFFD
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string ExploreReportsToHtml(const std::vector<ExploreReport>& reports) {
  const std::vector<MatrixRow> rows = BuildMatrix(reports);
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>sockfi explore: ",
      Plural(reports.size(), "subject", "subjects"), "</title>\n<style>",
      kStyle, "</style>\n</head>\n<body>\n<main id=\"top\">\n",
      "<h1>sockfi explore</h1>\n<p class=\"muted\">Systematic fault "
      "exploration of socketpair emulations: every schedule of faults to the "
      "depth below, each violation shrunk to a minimal plan that <code>sockfi "
      "run</code> replays.</p>\n");
  AppendSummary(reports, &html);
  if (reports.empty()) {
    absl::StrAppend(&html, "<p>No subject was explored.</p>\n");
  } else {
    AppendMatrix(rows, &html);
    for (size_t i = 0; i < reports.size() && i < rows.size(); ++i) {
      AppendSubject(reports[i], rows[i], i, &html);
    }
  }
  absl::StrAppend(&html, "</main>\n</body>\n</html>\n");
  return html;
}

}  // namespace sockfi
