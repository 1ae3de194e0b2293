#include "src/explore/html_report.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "src/check/verdict.h"
#include "src/explore/explorer.h"
#include "src/explore/matrix.h"
#include "src/explore/report.h"
#include "src/subjects/subject.h"

namespace sockfi {
namespace {

size_t Count(absl::string_view haystack, absl::string_view needle) {
  size_t count = 0;
  for (size_t at = haystack.find(needle); at != absl::string_view::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

// Returns the text from the first `begin` to the next `end` after it (both
// included), or "" when either is missing.
std::string Between(absl::string_view text, absl::string_view begin,
                    absl::string_view end) {
  const size_t from = text.find(begin);
  if (from == absl::string_view::npos) return "";
  const size_t to = text.find(end, from + begin.size());
  if (to == absl::string_view::npos) return "";
  return std::string(text.substr(from, to + end.size() - from));
}

// Returns the first registered mutant (a subject with a planted violation).
const Subject* FirstMutant() {
  for (const Subject& subject : AllSubjects()) {
    if (!subject.planted_violation.empty()) return &subject;
  }
  return nullptr;
}

constexpr absl::string_view kTrickyMessage =
    "fd 5 <b>leaked</b> from socket & \"never\" closed, isn't it";
constexpr absl::string_view kTrickyPlan =
    "accept#1=EINTR # it's \"odd\" & <b>bold</b>";

ExploreReport HardenedReport() {
  ExploreReport report;
  report.subject = "hardened";
  report.backend = BackendKind::kSim;
  report.depth = 2;
  report.schedules = 2519;
  report.seconds = 1.25;
  report.baseline_calls = 12;
  report.findings = {
      {ViolationKind::kLeak, std::string(kTrickyPlan),
       std::string(kTrickyMessage)},
      {ViolationKind::kLeak, "fdlimit=1; close#1=EIO",
       "fd 4 from accept is neither returned nor closed"},
      {ViolationKind::kWrongErrno, "connect#1=ECONNREFUSED",
       "reported EIO, the fault implies ECONNREFUSED"},
  };
  report.tallies[{"accept", "EAGAIN"}] = {41, 0};
  report.tallies[{"accept", "ECONNABORTED"}] = {30, 7};
  report.tallies[{"listen", "impostor"}] = {0, 12};
  report.tallies[{"close", "EINTR"}] = {82, 0};
  report.tallies[{"socket", "EMFILE (fdlimit)"}] = {16, 0};
  report.tallies[{"zz_unknown_call", "short:1"}] = {3, 1};
  return report;
}

// A report for `subject` with `n` findings of `kind`, distinct plans.
ExploreReport ReportWithFindings(const std::string& subject, ViolationKind kind,
                                 int n) {
  ExploreReport report;
  report.subject = subject;
  report.backend = BackendKind::kSim;
  report.depth = 3;
  report.schedules = 777;
  report.seconds = 0.5;
  for (int i = 1; i <= n; ++i) {
    report.findings.push_back(
        {kind, absl::StrCat("impostor@listen#1; accept#", i, "=EINTR"),
         absl::StrCat("finding number ", i, " <x>")});
  }
  report.tallies[{"listen", "impostor"}] = {5, static_cast<uint64_t>(n)};
  return report;
}

std::vector<ExploreReport> TwoReports() {
  const Subject* mutant = FirstMutant();
  const std::optional<ViolationKind> planted =
      mutant == nullptr ? std::nullopt
                        : ViolationKindFromName(mutant->planted_violation);
  return {HardenedReport(),
          ReportWithFindings(mutant == nullptr ? "mutant" : mutant->name,
                             planted.value_or(ViolationKind::kLeak), 12)};
}

TEST(HtmlEscapeTest, EscapesEverySpecialCharacter) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c\"'d'"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");
  EXPECT_EQ(HtmlEscape("tab\tnew\nline"), "tab\tnew\nline");
  EXPECT_EQ(HtmlEscape(std::string("nul\0x", 5)), "nul\xEF\xBF\xBDx");
  EXPECT_EQ(HtmlEscape("plain ü text"), "plain ü text");
}

TEST(HtmlReportTest, IsOneCompletePage) {
  const std::string html = ExploreReportsToHtml(TwoReports());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u) << html.substr(0, 100);
  EXPECT_EQ(Count(html, "<html"), 1u);
  EXPECT_EQ(Count(html, "</html>"), 1u);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
  EXPECT_EQ(Count(html, "<head>"), 1u);
  EXPECT_EQ(Count(html, "<body>"), 1u);
  EXPECT_EQ(Count(html, "</body>"), 1u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  // Elements that must nest are balanced.
  for (const absl::string_view tag :
       {"section", "table", "tr", "td", "th", "details", "div", "code"}) {
    EXPECT_EQ(Count(html, absl::StrCat("<", tag, ">")) +
                  Count(html, absl::StrCat("<", tag, " ")),
              Count(html, absl::StrCat("</", tag, ">")))
        << tag;
  }
}

TEST(HtmlReportTest, IsSelfContained) {
  const std::string html = ExploreReportsToHtml(TwoReports());
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
}

TEST(HtmlReportTest, HasTheRunSummary) {
  const std::string html = ExploreReportsToHtml(TwoReports());
  const std::string summary =
      Between(html, "<div class=\"summary\">", "</div>");
  ASSERT_FALSE(summary.empty());
  EXPECT_NE(summary.find("<b>2</b> subjects"), std::string::npos) << summary;
  EXPECT_NE(summary.find("backend <b>sim</b>"), std::string::npos) << summary;
  EXPECT_NE(summary.find("depth <b>2, 3</b>"), std::string::npos) << summary;
  EXPECT_NE(summary.find("<b>3296</b> schedules"), std::string::npos)
      << summary;
  EXPECT_NE(summary.find("<b>1.75</b> s"), std::string::npos) << summary;
  EXPECT_NE(summary.find("<b>15</b> findings"), std::string::npos) << summary;
}

TEST(HtmlReportTest, EveryFindingAppearsEscapedWithItsReplayCommand) {
  const std::vector<ExploreReport> reports = TwoReports();
  const std::string html = ExploreReportsToHtml(reports);
  for (const ExploreReport& report : reports) {
    EXPECT_NE(html.find(absl::StrCat(">", HtmlEscape(report.subject), "<")),
              std::string::npos)
        << report.subject;
    for (const Finding& finding : report.findings) {
      EXPECT_NE(html.find(absl::StrCat("<code>", HtmlEscape(finding.plan),
                                       "</code>")),
                std::string::npos)
          << finding.plan;
      EXPECT_NE(html.find(HtmlEscape(finding.message)), std::string::npos)
          << finding.message;
      const std::string replay = ReplayCommand(report, finding);
      ASSERT_NE(replay.find('\''), std::string::npos) << replay;
      EXPECT_NE(html.find(HtmlEscape(replay)), std::string::npos) << replay;
      // The raw command holds single quotes; the page must not.
      EXPECT_EQ(html.find(replay), std::string::npos) << replay;
    }
  }
  // Raw markup in messages and plans never reaches the page unescaped.
  EXPECT_EQ(html.find("<b>leaked</b>"), std::string::npos);
  EXPECT_EQ(html.find("<b>bold</b>"), std::string::npos);
  EXPECT_EQ(html.find("<x>"), std::string::npos);
  EXPECT_NE(html.find("fd 5 &lt;b&gt;leaked&lt;/b&gt; from socket &amp; "
                      "&quot;never&quot; closed, isn&#39;t it"),
            std::string::npos);
  EXPECT_NE(html.find("accept#1=EINTR # it&#39;s &quot;odd&quot; &amp; "
                      "&lt;b&gt;bold&lt;/b&gt;"),
            std::string::npos);
}

TEST(HtmlReportTest, GroupsFindingsByKindAndFoldsLongLists) {
  const std::vector<ExploreReport> reports = TwoReports();
  const std::string html = ExploreReportsToHtml(reports);
  const std::string hardened =
      Between(html, "<section id=\"subject-0\">", "</section>");
  const std::string mutant =
      Between(html, "<section id=\"subject-1\">", "</section>");
  ASSERT_FALSE(hardened.empty());
  ASSERT_FALSE(mutant.empty());
  // Three findings: two kinds, nothing folded; the leaks before wrong-errno.
  EXPECT_NE(
      hardened.find(absl::StrCat("<h4>", ViolationName(ViolationKind::kLeak),
                                 " <span class=\"muted\">(2)</span>")),
      std::string::npos)
      << hardened;
  EXPECT_LT(
      hardened.find(absl::StrCat("<h4>", ViolationName(ViolationKind::kLeak))),
      hardened.find(
          absl::StrCat("<h4>", ViolationName(ViolationKind::kWrongErrno))));
  EXPECT_EQ(hardened.find("<details"), std::string::npos);
  // Within a kind, the shortest plan (fewest rules) first.
  EXPECT_LT(hardened.find(HtmlEscape(kTrickyPlan)),
            hardened.find("fdlimit=1; close#1=EIO"));
  // Twelve findings of one kind: some shown, the rest folded, all there.
  EXPECT_EQ(Count(mutant, "<details>"), 1u);
  EXPECT_EQ(Count(mutant, "class=\"finding\""), 12u);
  const std::string folded = Between(mutant, "<details>", "</details>");
  EXPECT_GT(Count(folded, "class=\"finding\""), 0u);
  EXPECT_LT(Count(folded, "class=\"finding\""), 12u);
}

TEST(HtmlReportTest, MatrixCellsHoldTheFindingCounts) {
  const std::vector<ExploreReport> reports = TwoReports();
  const std::string html = ExploreReportsToHtml(reports);
  const std::string matrix =
      Between(html, "<table class=\"matrix\">", "</table>");
  ASSERT_FALSE(matrix.empty());
  for (const MatrixColumn& column : MatrixColumns()) {
    EXPECT_NE(
        matrix.find(absl::StrCat("title=\"", HtmlEscape(column.meaning), "\">",
                                 HtmlEscape(column.name), "</th>")),
        std::string::npos)
        << column.name;
  }
  const std::vector<MatrixRow> rows = BuildMatrix(reports);
  ASSERT_EQ(rows.size(), 2u);
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::string row =
        Between(matrix, absl::StrCat("<a href=\"#subject-", r, "\""), "</tr>");
    ASSERT_FALSE(row.empty()) << r;
    // The cells, in column order.
    size_t at = 0;
    for (size_t c = 0; c < rows[r].cells.size(); ++c) {
      at = row.find("<td class=\"cell ", at);
      ASSERT_NE(at, std::string::npos) << r << " " << c;
      const size_t open = row.find('>', at) + 1;
      const std::string text = row.substr(open, row.find("</td>", open) - open);
      const int findings = rows[r].cells[c].findings;
      EXPECT_EQ(text, findings == 0 ? "·" : absl::StrCat(findings))
          << "row " << r << " column " << MatrixColumns()[c].name;
      at = open;
    }
    EXPECT_NE(row.find(absl::StrCat("<td class=\"num\">",
                                    reports[r].findings.size(), "</td>")),
              std::string::npos)
        << row;
  }
  // Independently of how kinds are grouped: every finding of the second
  // subject is of one kind, so one cell holds all 12, coloured as many.
  EXPECT_NE(matrix.find("<td class=\"cell n3"), std::string::npos) << matrix;
  EXPECT_NE(matrix.find(">12</td>"), std::string::npos) << matrix;
}

TEST(HtmlReportTest, MarksWhetherAMutantsPlantedColumnCaughtIt) {
  const Subject* mutant = FirstMutant();
  if (mutant == nullptr) GTEST_SKIP() << "no mutant registered";
  const std::optional<ViolationKind> planted =
      ViolationKindFromName(mutant->planted_violation);
  ASSERT_TRUE(planted.has_value()) << mutant->planted_violation;
  const std::string caught_html =
      ExploreReportsToHtml({ReportWithFindings(mutant->name, *planted, 2)});
  const std::string caught_row =
      Between(Between(caught_html, "<table class=\"matrix\">", "</table>"),
              "<a href=\"#subject-0\"", "</tr>");
  const std::string planted_column =
      HtmlEscape(MatrixColumns()[MatrixColumnOf(*planted)].name);
  EXPECT_NE(caught_row.find(absl::StrCat(
                "<td class=\"verdict\" title=\"planted as ",
                HtmlEscape(mutant->planted_violation), ": 2 in column ",
                planted_column, "\"><span class=\"caught\">✓ caught</span>")),
            std::string::npos)
      << caught_row;
  EXPECT_EQ(Count(caught_row, " planted\""), 1u) << caught_row;
  // The outlined cell is the planted kind's column, and holds the findings.
  const size_t outlined = caught_row.find(" planted\"");
  EXPECT_EQ(caught_row.substr(caught_row.find('>', outlined) + 1, 2), "2<");
  EXPECT_NE(caught_html.find(absl::StrCat(
                "<span class=\"caught\">caught (2 findings in column ",
                planted_column, ")")),
            std::string::npos);

  // Findings only of another column: missed.
  ViolationKind other = ViolationKind::kLeak;
  for (const ViolationKind kind : kAllViolationKinds) {
    if (MatrixColumnOf(kind) != MatrixColumnOf(*planted)) {
      other = kind;
      break;
    }
  }
  ASSERT_NE(MatrixColumnOf(other), MatrixColumnOf(*planted));
  const std::string missed_html =
      ExploreReportsToHtml({ReportWithFindings(mutant->name, other, 3)});
  EXPECT_NE(missed_html.find(absl::StrCat(
                "title=\"planted as ", HtmlEscape(mutant->planted_violation),
                ": none in column ", planted_column,
                "\"><span class=\"missed\">✗ missed</span>")),
            std::string::npos)
      << missed_html;
  EXPECT_EQ(missed_html.find("class=\"caught\""), std::string::npos);
  EXPECT_NE(missed_html.find("<span class=\"missed\">missed (no finding"),
            std::string::npos);

  // A subject with nothing planted gets no verdict.
  const std::string hardened_html = ExploreReportsToHtml({HardenedReport()});
  EXPECT_EQ(hardened_html.find("class=\"caught\""), std::string::npos);
  EXPECT_EQ(hardened_html.find("class=\"missed\""), std::string::npos);
  EXPECT_EQ(hardened_html.find("planted as"), std::string::npos);
  EXPECT_EQ(hardened_html.find(" planted\""), std::string::npos);
}

TEST(HtmlReportTest, SubjectSectionHasDescriptionAndReference) {
  const std::vector<ExploreReport> reports = TwoReports();
  const std::string html = ExploreReportsToHtml(reports);
  for (const ExploreReport& report : reports) {
    const Subject* subject = FindSubject(report.subject);
    if (subject == nullptr) continue;
    EXPECT_NE(html.find(HtmlEscape(subject->description)), std::string::npos)
        << report.subject;
    EXPECT_NE(html.find(HtmlEscape(subject->reference)), std::string::npos)
        << report.subject;
  }
  // A name the registry does not know is shown (escaped) without a
  // description.
  ExploreReport unknown = HardenedReport();
  unknown.subject = "no<such>&subject";
  const std::string unknown_html = ExploreReportsToHtml({unknown});
  EXPECT_NE(unknown_html.find("<h2>no&lt;such&gt;&amp;subject</h2>"),
            std::string::npos);
  EXPECT_EQ(unknown_html.find("no<such>"), std::string::npos);
  EXPECT_NE(unknown_html.find("not a registered subject"), std::string::npos);
}

TEST(HtmlReportTest, HeatMapCellsCarryTheirTallies) {
  const std::string html = ExploreReportsToHtml({HardenedReport()});
  const std::string heat = Between(html, "<table class=\"heat\">", "</table>");
  ASSERT_FALSE(heat.empty());
  // Mixed: violations/fired in the cell, both counts in the title.
  const std::string mixed = Between(
      heat, "title=\"accept × ECONNABORTED: 30 handled, 7 violations\">",
      "</td>");
  EXPECT_NE(mixed.find(">7/37</td>"), std::string::npos) << heat;
  EXPECT_NE(heat.find("title=\"accept × EAGAIN: 41 handled, 0 violations\">"
                      "41</td>"),
            std::string::npos)
      << heat;
  EXPECT_NE(heat.find("title=\"listen × impostor: 0 handled, 12 violations\">"
                      "12/12</td>"),
            std::string::npos)
      << heat;
  // A (call, fault) that never fired is an empty grey cell.
  EXPECT_NE(heat.find("<td class=\"h never\" title=\"close × impostor: 0 "
                      "handled, 0 violations\"></td>"),
            std::string::npos)
      << heat;

  // Colour follows the outcome: all handled, a mix and all violations differ.
  auto background = [&](absl::string_view title) {
    const size_t at = heat.find(absl::StrCat("title=\"", title));
    EXPECT_NE(at, std::string::npos) << title;
    const size_t cell = heat.rfind("<td", at);
    return Between(heat.substr(cell, at - cell), "background:", "\"");
  };
  const std::string green = background("accept × EAGAIN:");
  const std::string mix = background("accept × ECONNABORTED:");
  const std::string red = background("listen × impostor:");
  EXPECT_FALSE(green.empty());
  EXPECT_NE(green, mix);
  EXPECT_NE(mix, red);
  EXPECT_NE(green, red);
  EXPECT_EQ(green, background("close × EINTR:"));

  // Rows in call order (unknown calls last); columns errnos, short transfers,
  // actors, fd limits.
  const size_t socket_row = heat.find("<th class=\"call\">socket</th>");
  const size_t listen_row = heat.find("<th class=\"call\">listen</th>");
  const size_t accept_row = heat.find("<th class=\"call\">accept</th>");
  const size_t close_row = heat.find("<th class=\"call\">close</th>");
  const size_t unknown_row =
      heat.find("<th class=\"call\">zz_unknown_call</th>");
  ASSERT_NE(unknown_row, std::string::npos);
  EXPECT_LT(socket_row, listen_row);
  EXPECT_LT(listen_row, accept_row);
  EXPECT_LT(accept_row, close_row);
  EXPECT_LT(close_row, unknown_row);
  const std::string header = Between(heat, "<thead>", "</thead>");
  EXPECT_LT(header.find(">EAGAIN<"), header.find(">ECONNABORTED<"));
  EXPECT_LT(header.find(">EINTR<"), header.find(">short:1<"));
  EXPECT_LT(header.find(">short:1<"), header.find(">impostor<"));
  EXPECT_LT(header.find(">impostor<"), header.find(">EMFILE (fdlimit)<"));
}

TEST(HtmlReportTest, EmptyInputsStillMakeAPage) {
  const std::string none = ExploreReportsToHtml({});
  EXPECT_EQ(none.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(none.find("No subject was explored"), std::string::npos);
  ExploreReport quiet;
  quiet.subject = "hardened";
  const std::string clean = ExploreReportsToHtml({quiet});
  EXPECT_NE(clean.find("No violation."), std::string::npos);
  EXPECT_NE(clean.find("No fault fired."), std::string::npos);
}

}  // namespace
}  // namespace sockfi
