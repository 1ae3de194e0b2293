// World: a fresh backend for one run — the kernel calls go to, the other
// processes plans can summon, and what the kernel can tell about a hang.

#ifndef SOCKFI_SRC_EXPLORE_WORLD_H_
#define SOCKFI_SRC_EXPLORE_WORLD_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/fault/host_actors.h"
#include "src/sim/sim_config.h"
#include "src/sys/syscalls.h"

namespace sockfi {

enum class BackendKind : uint8_t { kSim, kReal };

// Returns "sim" or "real".
absl::string_view BackendName(BackendKind backend);
// Returns the backend named "sim" or "real", or InvalidArgument.
absl::StatusOr<BackendKind> ParseBackend(absl::string_view name);

class World {
 public:
  virtual ~World() = default;
  // Returns the kernel (never an injector).
  virtual Syscalls& kernel() = 0;
  // Returns the actors of this world.
  virtual HostActors& actors() = 0;
  // Returns the kernel's state dump if it saw a hang, else "".
  virtual std::string HangDump() const = 0;
  // Returns how late past its deadline a routine may return here: exact on the
  // simulated kernel, scheduling noise on the real one.
  virtual absl::Duration deadline_slack() const = 0;
};

class SimKernel;
class SimActors;

// A world on a simulated kernel, which can start over.
class SimWorld final : public World {
 public:
  // Returns a world on a new kernel for `config`, or InvalidArgument for a bad
  // configuration.
  static absl::StatusOr<std::unique_ptr<SimWorld>> Create(
      const SimConfig& config);
  ~SimWorld() override;

  // Makes this world what Create(config) would return, keeping the kernel's
  // storage (SimKernel::Reset). Returns InvalidArgument for a bad config.
  absl::Status Reset(const SimConfig& config);

  Syscalls& kernel() override;
  HostActors& actors() override;
  std::string HangDump() const override;
  // Virtual time is exact; poll timeouts are whole milliseconds.
  absl::Duration deadline_slack() const override {
    return absl::Milliseconds(1);
  }

 private:
  explicit SimWorld(std::unique_ptr<SimKernel> kernel);

  std::unique_ptr<SimKernel> kernel_;
  std::unique_ptr<SimActors> actors_;
};

// Returns a new world on the real kernel.
std::unique_ptr<World> MakeRealWorld();

// Returns a new world on a simulated kernel built from `config`, or
// InvalidArgument for a bad configuration.
absl::StatusOr<std::unique_ptr<World>> MakeSimWorld(const SimConfig& config);

// Returns a function making fresh worlds of `backend`: simulated ones from
// `config` (checked once here), real ones ignoring it.
absl::StatusOr<std::function<std::unique_ptr<World>()>> MakeWorldFactory(
    BackendKind backend, const SimConfig& config = SimConfig());

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_WORLD_H_
