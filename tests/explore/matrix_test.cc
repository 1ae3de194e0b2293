// The evaluation matrix on hand-made reports: columns, counts, the shortest
// plan of a cell, the mutation score and the exit rule.

#include "src/explore/matrix.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sockfi {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ExploreReport ReportOf(std::string subject, std::vector<Finding> findings) {
  ExploreReport report;
  report.subject = std::move(subject);
  report.depth = 2;
  report.schedules = 100;
  report.seconds = 0.5;
  report.findings = std::move(findings);
  return report;
}

int Column(absl::string_view name) {
  const std::vector<MatrixColumn>& columns = MatrixColumns();
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].name == name) return static_cast<int>(c);
  }
  return -1;
}

TEST(MatrixTest, EveryViolationKindIsInExactlyOneColumn) {
  std::multiset<ViolationKind> seen;
  for (const MatrixColumn& column : MatrixColumns()) {
    EXPECT_FALSE(column.kinds.empty()) << column.name;
    seen.insert(column.kinds.begin(), column.kinds.end());
  }
  for (ViolationKind kind : kAllViolationKinds) {
    EXPECT_EQ(seen.count(kind), 1u) << ViolationName(kind);
    EXPECT_EQ(MatrixColumns()[MatrixColumnOf(kind)].kinds.size() > 0, true);
  }
  EXPECT_EQ(seen.size(), kAllViolationKinds.size());
  EXPECT_EQ(MatrixColumnOf(ViolationKind::kWrongStep), Column("errno"));
  EXPECT_EQ(MatrixColumnOf(ViolationKind::kCallBudget), Column("spin"));
}

TEST(MatrixTest, CountsFindingsPerColumnAndKeepsTheShortestPlan) {
  std::vector<ExploreReport> reports = {
      ReportOf("kafka_python",
               {{ViolationKind::kWrongErrno, "fdlimit=1; close#1=EIO", "long"},
                {ViolationKind::kWrongStep, "listen#1=EADDRINUSE", "one fault"},
                {ViolationKind::kWrongErrno, "a#1=E; b#1=E", "short text, two"},
                {ViolationKind::kHang, "flood@listen#1", "hangs"}})};
  std::vector<MatrixRow> rows = BuildMatrix(reports);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].findings, 4);
  const MatrixCell& errno_cell = rows[0].cells[Column("errno")];
  EXPECT_EQ(errno_cell.findings, 3);
  ASSERT_TRUE(errno_cell.shortest.has_value());
  // Fewest faults first, however long their text.
  EXPECT_EQ(errno_cell.shortest->plan, "listen#1=EADDRINUSE");
  EXPECT_EQ(rows[0].cells[Column("hang")].findings, 1);
  EXPECT_EQ(rows[0].cells[Column("leak")].findings, 0);
  EXPECT_FALSE(rows[0].cells[Column("leak")].shortest.has_value());
}

TEST(MatrixTest, FormatsRowsLegendShortestPlansAndMutationScore) {
  std::vector<ExploreReport> reports = {
      ReportOf("hardened", {}),
      ReportOf("listener_leaked_on_accept_error",
               {{ViolationKind::kLeak, "accept#1=EMFILE", "fd 3 leaked"}}),
      // Planted for a double close, caught only as something else.
      ReportOf("close_retried_on_eintr",
               {{ViolationKind::kLeak, "close#1=EINTR", "not the kind"}}),
  };
  const std::string text = FormatMatrix(reports);
  EXPECT_THAT(text, HasSubstr("3 subjects, backend sim, depth 2: 300 "
                              "schedules in 1.50 s (200 schedules/s)"));
  // The header names every column; hardened's row is all dots.
  for (const MatrixColumn& column : MatrixColumns()) {
    EXPECT_THAT(text, HasSubstr(column.name));
    EXPECT_THAT(text, HasSubstr(column.meaning));
  }
  const size_t row = text.find("\nhardened ");
  ASSERT_NE(row, std::string::npos) << text;
  const std::string line =
      text.substr(row + 1, text.find('\n', row + 1) - row - 1);
  EXPECT_EQ(std::count(line.begin(), line.end(), '.'),
            static_cast<long>(MatrixColumns().size()))
      << line;
  EXPECT_EQ(line.find_first_not_of(" .", 8), std::string::npos) << line;
  EXPECT_THAT(text, HasSubstr("planted: leak\n"));
  EXPECT_THAT(text, HasSubstr("planted: double-close (ESCAPED)"));
  EXPECT_THAT(text, HasSubstr("mutation score: 1 of 2 mutants caught by the "
                              "violation they were planted for; escaped: "
                              "close_retried_on_eintr"));
  EXPECT_THAT(text, HasSubstr("hardened: no violation"));
  EXPECT_THAT(text, HasSubstr("fd 3 leaked"));
  EXPECT_THAT(text, HasSubstr("sockfi run --plan='accept#1=EMFILE' "
                              "--subject=listener_leaked_on_accept_error"));
}

TEST(MatrixTest, OnlyAViolationOfHardenedFails) {
  std::vector<ExploreReport> reports = {
      ReportOf("hardened", {}),
      ReportOf("kafka_python", {{ViolationKind::kHang, "flood@listen#1", ""}}),
  };
  EXPECT_FALSE(HardenedViolates(reports));
  reports[0].findings.push_back({ViolationKind::kLeak, "accept#1=EMFILE", ""});
  EXPECT_TRUE(HardenedViolates(reports));
  EXPECT_FALSE(HardenedViolates({reports[1]}));
}

}  // namespace
}  // namespace sockfi
