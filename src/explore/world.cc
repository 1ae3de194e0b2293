#include "src/explore/world.h"

#include "absl/strings/str_cat.h"
#include "src/fault/real_host_actors.h"
#include "src/sim/sim_kernel.h"
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

// The simulated kernel's own actors, as plans summon them.
class SimActors final : public HostActors {
 public:
  explicit SimActors(SimKernel& kernel) : kernel_(kernel) {}
  absl::Status Act(ActorKind actor, const SockAddr& listener) override {
    switch (actor) {
      case ActorKind::kFlood:
        kernel_.StartFlood(listener);
        break;
      case ActorKind::kForeign:
        kernel_.ConnectForeignClient(listener,
                                     ForeignClientMode::kCompletesSilently);
        break;
      case ActorKind::kImpostor:
        kernel_.ConnectForeignClient(listener,
                                     ForeignClientMode::kSendsGarbage);
        break;
      case ActorKind::kHalfOpen:
        kernel_.ConnectForeignClient(listener, ForeignClientMode::kHalfOpen);
        break;
      case ActorKind::kHangUp:
        kernel_.ConnectForeignClient(listener, ForeignClientMode::kHangsUp);
        break;
    }
    return absl::OkStatus();
  }

 private:
  SimKernel& kernel_;
};

SimWorld::SimWorld(std::unique_ptr<SimKernel> kernel)
    : kernel_(std::move(kernel)),
      actors_(std::make_unique<SimActors>(*kernel_)) {}

SimWorld::~SimWorld() = default;

absl::StatusOr<std::unique_ptr<SimWorld>> SimWorld::Create(
    const SimConfig& config) {
  absl::StatusOr<std::unique_ptr<SimKernel>> kernel = SimKernel::Create(config);
  if (!kernel.ok()) return kernel.status();
  return std::unique_ptr<SimWorld>(new SimWorld(std::move(*kernel)));
}

absl::Status SimWorld::Reset(const SimConfig& config) {
  return kernel_->Reset(config);
}

Syscalls& SimWorld::kernel() { return *kernel_; }
HostActors& SimWorld::actors() { return *actors_; }

std::string SimWorld::HangDump() const {
  return kernel_->hang().has_value() ? kernel_->hang()->dump : "";
}

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

absl::StatusOr<std::unique_ptr<World>> MakeSimWorld(const SimConfig& config) {
  absl::StatusOr<std::unique_ptr<SimWorld>> world = SimWorld::Create(config);
  if (!world.ok()) return world.status();
  return std::unique_ptr<World>(std::move(*world));
}

absl::StatusOr<std::function<std::unique_ptr<World>()>> MakeWorldFactory(
    BackendKind backend, const SimConfig& config) {
  if (backend == BackendKind::kReal) return &MakeRealWorld;
  absl::Status valid = ValidateSimConfig(config);
  if (!valid.ok()) return valid;
  return [config]() -> std::unique_ptr<World> {
    return std::move(*MakeSimWorld(config));
  };
}

}  // namespace sockfi
