// fault_plan_fuzzer: arbitrary text through the plan parser. It must never
// crash, and a plan it accepts must survive print -> parse unchanged.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "src/fault/errno_catalog.h"
#include "src/fault/fault_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<sockfi::FaultPlan> plan = sockfi::ParsePlan(text);
  if (!plan.ok()) return 0;
  (void)sockfi::CheckRealistic(*plan, sockfi::ErrnoCatalog::Linux());
  const absl::Status stable = sockfi::CheckPrintParsesBack(*plan);
  if (!stable.ok()) {
    std::fprintf(stderr, "fault_plan_fuzzer: %s\n",
                 std::string(stable.message()).c_str());
    std::abort();
  }
  return 0;
}
