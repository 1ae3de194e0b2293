#include "src/explore/world.h"

#include "absl/strings/str_cat.h"
#include "src/fault/real_host_actors.h"
#include "src/sys/real_syscalls.h"

namespace sockfi {
namespace {

class RealWorld final : public World {
 public:
  RealWorld() : actors_(kernel_) {}
  Syscalls& kernel() override { return kernel_; }
  HostActors& actors() override { return actors_; }
  std::string HangDump() const override { return ""; }
  absl::Duration deadline_slack() const override {
    return absl::Milliseconds(250);
  }

 private:
  RealSyscalls kernel_;
  RealHostActors actors_;
};

}  // namespace

absl::string_view BackendName(BackendKind backend) {
  return backend == BackendKind::kSim ? "sim" : "real";
}

absl::StatusOr<BackendKind> ParseBackend(absl::string_view name) {
  if (name == "sim") return BackendKind::kSim;
  if (name == "real") return BackendKind::kReal;
  return absl::InvalidArgumentError(
      absl::StrCat("--backend=", name, ": expected sim or real"));
}

std::unique_ptr<World> MakeRealWorld() { return std::make_unique<RealWorld>(); }

absl::StatusOr<std::function<std::unique_ptr<World>()>> MakeWorldFactory(
    BackendKind backend) {
  if (backend == BackendKind::kReal) return &MakeRealWorld;
  return absl::UnavailableError("the simulated kernel is not linked in");
}

}  // namespace sockfi
