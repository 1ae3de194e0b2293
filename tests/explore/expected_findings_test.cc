// Expected findings: for hardened and every model, the violation columns the
// explorer (depth 2, simulated kernel, default options) finds are exactly those
// docs/findings.md's table says "yes" for.

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "src/explore/explorer.h"
#include "src/explore/matrix.h"
#include "src/subjects/subject.h"
#include "tests/testing/run_program.h"

namespace sockfi {
namespace {

constexpr absl::string_view kBegin = "<!-- expected-findings:begin -->";
constexpr absl::string_view kEnd = "<!-- expected-findings:end -->";

// One row of the table: subject -> (column name -> expected).
using ExpectedTable = std::map<std::string, std::map<std::string, bool>>;

std::vector<std::string> Cells(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  absl::ConsumePrefix(&line, "|");
  absl::ConsumeSuffix(&line, "|");
  std::vector<std::string> cells;
  for (absl::string_view cell : absl::StrSplit(line, '|')) {
    cells.emplace_back(absl::StripAsciiWhitespace(cell));
  }
  return cells;
}

// Parses the table between kBegin and kEnd; records what is wrong in `error`.
ExpectedTable ReadTable(const std::string& text, std::string* error) {
  ExpectedTable table;
  const size_t begin = text.find(std::string(kBegin));
  const size_t end = text.find(std::string(kEnd));
  if (begin == std::string::npos || end == std::string::npos || end < begin) {
    *error = "no table between the expected-findings markers";
    return table;
  }
  std::vector<std::string> header;
  int line_number = 0;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(text).substr(
                          begin + kBegin.size(), end - begin - kBegin.size()),
                      '\n')) {
    if (!absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "|")) {
      continue;
    }
    ++line_number;
    std::vector<std::string> cells = Cells(line);
    if (line_number == 1) {
      header = cells;
      continue;
    }
    if (line_number == 2) continue;  // |---|---|
    if (cells.size() != header.size()) {
      *error = absl::StrCat("row \"", line, "\" has ", cells.size(),
                            " cells; the header has ", header.size());
      return table;
    }
    for (size_t c = 1; c < cells.size(); ++c) {
      if (cells[c] != "yes" && cells[c] != "no") {
        *error = absl::StrCat("row ", cells[0], ", column ", header[c], ": \"",
                              cells[c], "\" is not yes or no");
        return table;
      }
      table[cells[0]][header[c]] = cells[c] == "yes";
    }
  }
  if (header.empty() || header[0] != "subject") {
    *error = "the table's first column must be \"subject\"";
  }
  return table;
}

class ExpectedFindingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream file(testing::RunfilePath("docs/findings.md"));
    ASSERT_TRUE(file) << "cannot read docs/findings.md";
    std::stringstream text;
    text << file.rdbuf();
    std::string error;
    table_ = ReadTable(text.str(), &error);
    ASSERT_EQ(error, "");
  }
  ExpectedTable table_;
};

TEST_F(ExpectedFindingsTest, TheTableHasEveryColumnAndEveryModel) {
  for (const auto& [subject, columns] : table_) {
    EXPECT_EQ(columns.size(), MatrixColumns().size()) << subject;
    for (const MatrixColumn& column : MatrixColumns()) {
      EXPECT_EQ(columns.count(column.name), 1u)
          << subject << " " << column.name;
    }
    const Subject* found = FindSubject(subject);
    ASSERT_NE(found, nullptr)
        << "docs/findings.md names no subject " << subject;
    EXPECT_TRUE(found->planted_violation.empty())
        << subject << " is a mutant: mutation_score_test covers it";
  }
  for (const Subject& subject : AllSubjects()) {
    if (!subject.planted_violation.empty()) continue;
    EXPECT_EQ(table_.count(subject.name), 1u)
        << "docs/findings.md has no row for " << subject.name;
  }
}

TEST_F(ExpectedFindingsTest, TheExplorerFindsWhatTheTableSays) {
  std::vector<ExploreReport> reports;
  for (const auto& [subject, columns] : table_) {
    const Subject* found = FindSubject(subject);
    ASSERT_NE(found, nullptr) << subject;
    ExploreOptions options;
    options.depth = 2;
    reports.push_back(Explore(*found, BackendKind::kSim,
                              *MakeWorldFactory(BackendKind::kSim), options));
  }
  const std::vector<MatrixRow> rows = BuildMatrix(reports);
  for (const MatrixRow& row : rows) {
    const std::map<std::string, bool>& expected = table_[row.report->subject];
    for (size_t c = 0; c < MatrixColumns().size(); ++c) {
      const MatrixColumn& column = MatrixColumns()[c];
      const MatrixCell& cell = row.cells[c];
      const auto it = expected.find(column.name);
      if (it == expected.end()) continue;
      EXPECT_EQ(cell.findings > 0, it->second)
          << row.report->subject << ", column " << column.name << ": "
          << cell.findings << " findings, docs/findings.md says "
          << (it->second ? "yes" : "no")
          << (cell.shortest.has_value()
                  ? absl::StrCat("; shortest plan '", cell.shortest->plan,
                                 "': ", cell.shortest->message)
                  : std::string());
    }
  }
}

}  // namespace
}  // namespace sockfi
