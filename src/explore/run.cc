#include "src/explore/run.h"

#include <sys/socket.h>

#include "src/check/judge.h"
#include "src/fault/fault_injector.h"

namespace sockfi {

RunResult RunOnce(const RunSpec& spec, const WorldFactory& make_world) {
  std::unique_ptr<World> world = make_world();
  return RunOnce(spec, *world);
}

RunResult RunOnce(const RunSpec& spec, World& world) {
  InjectorOptions injector_options;
  injector_options.adversarial = spec.adversarial;
  injector_options.actors = &world.actors();
  injector_options.reuse_trace = spec.reuse_trace;
  // Subjects make their calls on this thread.
  injector_options.single_thread = true;
  RunResult result;
  RunRecord& record = result.record;
  record.plan = spec.plan;
  // The injector applies the record's copy: under ASan, one copy of a plan
  // less per run counts.
  FaultInjector injector(world.kernel(), &record.plan, injector_options);

  const absl::Time start = world.kernel().Now();
  absl::StatusOr<SocketPair> pair =
      spec.subject->make_pair(spec.options, injector);
  // Actors are other processes: their time is not the routine's.
  record.actor_time = injector.actor_time();
  record.elapsed = world.kernel().Now() - start - record.actor_time;
  record.trace = injector.TakeTrace();
  record.status = pair.status();
  if (pair.ok()) {
    record.fds = {pair->fds[0].get(), pair->fds[1].get()};
  }
  record.requested_type = spec.options.type;
  record.inet = spec.options.family != AF_UNIX;
  if (spec.subject->honours_deadline) record.deadline = spec.options.timeout;
  if (spec.subject->checks_arguments) {
    absl::Status valid = ValidatePairOptions(spec.options);
    if (!valid.ok()) record.argument_error = std::string(valid.message());
  }
  record.hang_dump = world.HangDump();

  LivenessLimits limits;
  limits.deadline_slack = world.deadline_slack();
  result.verdict = Judge(record, world.kernel(), ErrnoCatalog::Linux(), limits);
  // The run is judged: the pair closes on the kernel itself, out of the plan's
  // reach and of any trace.
  if (pair.ok()) {
    for (UniqueFd& fd : pair->fds) {
      UniqueFd closing(world.kernel(), fd.Release());
    }
  }
  return result;
}

}  // namespace sockfi
