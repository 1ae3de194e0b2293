#include "src/explore/minimize.h"

#include <algorithm>

#include "src/explore/schedule_space.h"

namespace sockfi {
namespace {

std::vector<Atom> Slice(const std::vector<Atom>& atoms, size_t begin,
                        size_t end) {
  return std::vector<Atom>(atoms.begin() + begin, atoms.begin() + end);
}

std::vector<Atom> Without(const std::vector<Atom>& atoms, size_t begin,
                          size_t end) {
  std::vector<Atom> rest(atoms.begin(), atoms.begin() + begin);
  rest.insert(rest.end(), atoms.begin() + end, atoms.end());
  return rest;
}

}  // namespace

FaultPlan Minimize(const FaultPlan& plan,
                   const std::function<bool(const FaultPlan&)>& fails) {
  std::vector<Atom> atoms = AtomsOf(plan);
  const auto test = [&](const std::vector<Atom>& candidate) {
    return fails(PlanOf(candidate));
  };
  size_t granularity = 2;
  while (atoms.size() >= 2) {
    const size_t n = std::min(granularity, atoms.size());
    bool reduced = false;
    // Try each subset, then each complement.
    for (size_t i = 0; i < n && !reduced; ++i) {
      const size_t begin = atoms.size() * i / n;
      const size_t end = atoms.size() * (i + 1) / n;
      std::vector<Atom> subset = Slice(atoms, begin, end);
      if (test(subset)) {
        atoms = std::move(subset);
        granularity = 2;
        reduced = true;
      }
    }
    for (size_t i = 0; i < n && !reduced; ++i) {
      const size_t begin = atoms.size() * i / n;
      const size_t end = atoms.size() * (i + 1) / n;
      std::vector<Atom> complement = Without(atoms, begin, end);
      if (test(complement)) {
        atoms = std::move(complement);
        granularity = std::max<size_t>(granularity - 1, 2);
        reduced = true;
      }
    }
    if (reduced) continue;
    if (granularity >= atoms.size()) break;  // every single removal was tried
    granularity = std::min(granularity * 2, atoms.size());
  }
  if (atoms.size() == 1 && test({})) atoms.clear();
  return PlanOf(atoms);
}

}  // namespace sockfi
