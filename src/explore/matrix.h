// The evaluation matrix: explorations of several subjects side by side, one
// row a subject, one column a group of violation kinds, each cell the number of
// distinct minimal plans that led to a violation of that group.

#ifndef SOCKFI_SRC_EXPLORE_MATRIX_H_
#define SOCKFI_SRC_EXPLORE_MATRIX_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/check/verdict.h"
#include "src/explore/explorer.h"

namespace sockfi {

// A column of the matrix: violation kinds that mean the same to a reader.
struct MatrixColumn {
  std::string name;     // short, for the header: "leak", "bad-close", ...
  std::string meaning;  // one line for the legend
  std::vector<ViolationKind> kinds;
};

// Returns the columns in print order; every ViolationKind is in exactly one.
const std::vector<MatrixColumn>& MatrixColumns();

// Returns the index in MatrixColumns() of the column that holds `kind`.
int MatrixColumnOf(ViolationKind kind);

struct MatrixCell {
  int findings = 0;  // distinct (kind, minimal plan) findings in this column
  // The finding with the shortest plan (fewest faults, then fewest
  // characters, then first in the report's order); empty when findings == 0.
  std::optional<Finding> shortest;
};

struct MatrixRow {
  const ExploreReport* report = nullptr;  // not owned
  std::vector<MatrixCell> cells;          // one per MatrixColumns() entry
  int findings = 0;                       // all of the row's findings
};

// Returns one row per report, in the reports' order. The rows point into
// `reports`, which must outlive them.
std::vector<MatrixRow> BuildMatrix(const std::vector<ExploreReport>& reports);

// Returns whether `reports` hold one for kHardenedSubject with a finding: the
// one outcome that makes `sockfi explore` fail (models and mutants are expected
// to have findings).
bool HardenedViolates(const std::vector<ExploreReport>& reports);

// Returns the matrix as text: a header, one line per subject (a cell is "."
// when empty), the total schedules and time, the legend, then for each
// non-empty cell its shortest plan with the command that reproduces it.
std::string FormatMatrix(const std::vector<ExploreReport>& reports);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_MATRIX_H_
