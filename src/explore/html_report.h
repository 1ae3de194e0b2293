// The HTML report of an exploration (`sockfi explore --html=FILE`): one
// self-contained page — inline style, no script, nothing fetched — with the
// run summary, the evaluation matrix (src/explore/matrix.h), and for each
// subject its description, a call × fault heat map of how each fault fared,
// and every finding with the command that reproduces it.

#ifndef SOCKFI_SRC_EXPLORE_HTML_REPORT_H_
#define SOCKFI_SRC_EXPLORE_HTML_REPORT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/explore/explorer.h"

namespace sockfi {

// Returns `text` with &, <, >, " and ' replaced by character references (and
// control characters other than tab and newline by U+FFFD), safe in element
// content and in quoted attribute values.
std::string HtmlEscape(absl::string_view text);

// Returns one complete HTML5 page describing `reports` (one per subject, in
// the order given). Subjects the registry knows (FindSubject) get their
// description, reference and, for a mutant, whether the matrix column of its
// planted violation caught it.
std::string ExploreReportsToHtml(const std::vector<ExploreReport>& reports);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_HTML_REPORT_H_
