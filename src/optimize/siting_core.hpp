#pragma once
// Internal machinery of the siting solvers (not a public API): every siting problem is reduced
// to a "median core" — minimise sum_i w_i * min(M, min_{open j} c_ij) — over a sparse matrix.
//   p-median: c_ij = seconds, M = the unreachable cost.
//   MCLP / LSCP / p-center at a radius r: c_ij = 0 for t_ij <= r, M = 1 (objective = uncovered weight).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "optimize/siting.hpp"

namespace kepumap::optimize::detail {

/// The median core: demands with weight > 0 only, rows sorted by cost ascending.
struct Core {
  std::size_t n = 0;                   ///< demands in the core
  std::size_t m = 0;                   ///< candidates
  std::vector<std::int64_t> w;         ///< weight per core demand
  std::vector<core::Id> demand_index;  ///< core demand -> instance demand
  std::vector<std::uint32_t> roff, rcand;
  std::vector<std::int64_t> rcost;
  std::vector<std::uint32_t> coff, cdem;
  std::vector<std::int64_t> ccost;
  std::int64_t M = 1;                 ///< cost of a demand no open site reaches
  std::vector<std::uint8_t> fixed;    ///< per candidate: open and cannot close (existing)
  std::vector<std::uint8_t> allowed;  ///< per candidate: may be opened as a new site
  std::vector<std::int64_t> cost;     ///< per candidate cost (all 1 when the instance has none)
  int p = 0;                          ///< new sites (when budget < 0)
  std::int64_t budget = -1;           ///< >= 0: budget mode
  std::vector<core::Id> group;        ///< per candidate group or INVALID_ID
  std::size_t num_groups = 0;
  bool one_per_group = false;
};

/// Builds a core. radius >= 0: coverage core (c = 0 within radius, M = 1); radius < 0: median
/// core with costs = seconds and the given M.
Core make_core(const SitingInstance& inst, const SitingOptions& opt, const std::vector<std::int64_t>& weight,
               std::int64_t radius, std::int64_t M);

/// Core objective of an open set (fixed sites are always counted as open).
std::int64_t core_objective(const Core& c, const std::vector<std::uint8_t>& open);

/// A heuristic solution of the core.
struct CoreSolution {
  std::vector<std::uint8_t> open;  ///< per candidate (fixed ones included)
  std::vector<core::Id> chosen;    ///< new sites
  std::int64_t objective = 0;
  bool feasible = true;  ///< false when the group constraint cannot be met
};

/// Greedy (CELF lazy evaluation) followed by fast interchange local search.
CoreSolution solve_core_heuristic(const Core& c, const std::atomic<bool>* cancel);

/// Fast interchange (swap) local search from a start solution; returns the improved solution.
CoreSolution fast_interchange(const Core& c, CoreSolution start, const std::atomic<bool>* cancel);

/// Lagrangian relaxation lower bound of the core (groups relaxed, budget knapsack relaxed to
/// fractions). `ub` is the objective of a known solution (for the step size).
/// `primal`, when given, is called now and then with the relaxation's chosen sites and returns
/// the objective of the best solution known so far (it may improve `ub`).
/// `progress`, when given, is called at the start of each iteration with (iteration, iterations).
double lagrangian_lower_bound(const Core& c, std::int64_t ub, int iterations, const std::atomic<bool>* cancel,
                              const std::function<std::int64_t(const std::vector<core::Id>&)>& primal = {},
                              const std::function<void(int, int)>& progress = {});

/// Greedy with lazy evaluation (CELF) only; ratio = rank by gain / cost (budget mode). The
/// `start` sites are opened first (as far as p / budget allow).
CoreSolution greedy_core(const Core& c, bool ratio, const std::atomic<bool>* cancel,
                         const std::vector<core::Id>& start = {});

/// Heuristic solution and Lagrangian bound together: the subgradient's site choices are also
/// completed and improved by fast interchange (a Lagrangian heuristic), keeping the best.
struct CoreAnswer {
  CoreSolution solution;
  double lower_bound = 0.0;
};
CoreAnswer solve_core_with_bound(const Core& c, int iterations, const std::atomic<bool>* cancel,
                                 const std::function<void(int, int)>& progress = {});

/// Fills the figures every result carries: coverage before/after, uncoverable demand, the
/// marginal table (which also reorders r.chosen) and the gap from r.objective and r.bound.
void fill_common(const SitingInstance& inst, const SitingOptions& opt, SitingResult& r);

/// |objective - bound| / |objective| x 100.
double gap_of(double objective, double bound);

/// Smallest integer >= a floating bound, with a tolerance for rounding noise.
std::int64_t ceil_bound(double lb);

// ---- Capacities (siting_capacity.cpp): the exact mode's capacitated assignment for a fixed set
// of open sites, and the heuristics built on it. Demand may be split between sites.

/// What open sites serve within the standard and within their capacities (people, `@capacity`):
/// a maximum flow that also has the largest priority-weighted total.
struct CapacitatedCover {
  std::int64_t people = 0;    ///< people served within the standard and the capacities
  std::int64_t weighted = 0;  ///< the same, priority-weighted (x PRIORITY_SCALE)
};

/// Capacitated cover of the existing sites plus `new_sites` (standard in seconds; < 0 = none).
CapacitatedCover capacitated_cover(const SitingInstance& inst, core::ISeconds standard,
                                   const std::vector<core::Id>& new_sites);

/// MCLP (covered weighted people) or p-median (sum people x seconds, the unreachable cost for
/// each person no open site can take) of existing + new sites under the capacitated assignment.
std::int64_t capacitated_objective(const SitingInstance& inst, const SitingOptions& opt,
                                   const std::vector<core::Id>& new_sites);

/// The options' unreachable cost in seconds, or one more than the largest time in the matrix.
std::int64_t capacitated_unreachable(const SitingInstance& inst, const SitingOptions& opt);

/// A heuristic answer of capacitated MCLP or p-median.
struct CapacitatedAnswer {
  std::vector<core::Id> chosen;
  std::int64_t objective = 0;
  double bound = 0.0;  ///< upper bound (MCLP) or lower bound (p-median), always valid
  bool proven = false;
  bool feasible = true;  ///< false when the group constraint cannot be met
  std::string method;
};

/// Greedy (CELF) + swap over the capacitated evaluator; bound: the best of the uncapacitated
/// Lagrangian bound, (MCLP) the total-capacity bound and, on small instances, the LP relaxation.
CapacitatedAnswer solve_capacitated(const SitingInstance& inst, const SitingOptions& opt);

/// LP relaxation of the exact mode's capacitated model over the core `c` through GLPK
/// (siting_exact.cpp), in the core's (minimisation) units; -HUGE_VAL when not solved in `seconds`.
double capacitated_lp_bound(const SitingInstance& inst, const Core& c, double seconds,
                            const std::atomic<bool>* cancel);

}  // namespace kepumap::optimize::detail
