#pragma once
// Siting new facilities: set covering (LSCP), maximal covering (MCLP), p-median and p-center
// over a demand x candidate travel-time matrix in whole seconds, with fixed existing facilities,
// an optional budget, capacities and "at least one per group" constraints.
//
// Every answer carries an objective, a bound (Lagrangian relaxation, LP or the exact MIP) and the
// gap between them. Heuristics: greedy with lazy evaluation (CELF), then a fast interchange local
// search (Whitaker's swap move with Resende-Werneck gain/loss/extra tables). With capacities
// (MCLP, p-median): greedy and swaps over an exact capacitated assignment of each site set
// (maximum flow / min-cost flow, siting_capacity.cpp). Exact mode: GLPK.
//
// Objectives are integers (people x seconds, people x priority per-mille) so they are exact.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace kepumap::optimize {

/// Sparse demand x candidate travel times in whole seconds, rows by demand (CSR). A pair that is
/// absent means "not reachable" (or beyond the matrix radius). Within a row, entries are sorted
/// by time ascending (ties by candidate index) once `finalize_rows` has run.
struct CostMatrix {
  std::size_t rows = 0;                ///< number of demand points
  std::size_t cols = 0;                ///< number of candidate sites
  std::vector<std::uint32_t> offsets;  ///< rows + 1 offsets into `cand` / `time`
  std::vector<std::uint32_t> cand;     ///< candidate index of each entry
  std::vector<core::ISeconds> time;    ///< travel time of each entry, seconds (>= 0)

  /// Number of stored pairs.
  std::size_t nnz() const { return cand.size(); }
  /// Travel time from demand i to candidate j in seconds, or core::UNREACHABLE (linear scan).
  core::ISeconds at(std::size_t i, std::uint32_t j) const;
};

/// Dense row-major matrix (rows x cols seconds; core::UNREACHABLE entries are dropped) to CSR.
CostMatrix dense_matrix(std::size_t rows, std::size_t cols, const std::vector<core::ISeconds>& t);

/// One (demand, candidate, seconds) triple for `triplet_matrix`.
struct CostEntry {
  std::uint32_t demand = 0;
  std::uint32_t candidate = 0;
  core::ISeconds time = 0;
};

/// Builds a CSR matrix from triples in any order; a repeated pair keeps the smallest time.
CostMatrix triplet_matrix(std::size_t rows, std::size_t cols, std::vector<CostEntry> entries);

/// Builds the demand-major matrix from a candidate-major CSR (the layout the travel engine's
/// sparse_time_matrix produces: pairs of candidate j at [offsets[j], offsets[j+1]) with
/// demand index and whole seconds).
CostMatrix from_candidate_major(std::size_t demands, std::size_t candidates,
                                const std::vector<std::uint32_t>& offsets,
                                const std::vector<std::uint32_t>& demand,
                                const std::vector<core::ISeconds>& seconds);

/// Sorts every row by time (then candidate) and removes duplicate pairs (keeping the smallest).
void finalize_rows(CostMatrix& m);

/// Per-mille scale of demand priorities: priority 1000 = weight 1.0.
inline constexpr std::int32_t PRIORITY_SCALE = 1000;

/// A siting instance: plain data, indices not pointers.
struct SitingInstance {
  std::vector<std::int64_t> population;   ///< per demand: people (or any integer weight >= 0)
  std::vector<std::int32_t> priority;     ///< per demand, per-mille (1000 = 1.0); empty = all 1000
  std::vector<std::int64_t> cost;         ///< per candidate, any currency unit; empty = all 1
  std::vector<std::int64_t> capacity;     ///< per candidate, people; empty = uncapacitated
  std::vector<core::Id> group;            ///< per candidate: township (group) id or INVALID_ID; empty = none
  std::vector<core::Id> existing;         ///< candidate indices that are existing facilities (fixed open)
  CostMatrix times;                       ///< demand x candidate travel times, seconds
  std::vector<std::string> demand_names;  ///< optional, for tables
  std::vector<std::string> candidate_names;  ///< optional, for tables

  std::size_t num_demands() const { return times.rows; }
  std::size_t num_candidates() const { return times.cols; }
};

/// Checks sizes and values; returns one plain-words line per problem (empty = valid).
std::vector<std::string> validate(const SitingInstance& inst);

enum class SitingProblem : std::uint8_t {
  Lscp,     ///< fewest new sites so that a target share of population is within the standard
  Mclp,     ///< p new sites maximising priority-weighted population within the standard
  PMedian,  ///< p new sites minimising population-weighted travel time
  PCenter,  ///< p new sites minimising the worst travel time of any demand point some candidate reaches
};

/// "lscp", "mclp", "pmedian", "pcenter".
const char* problem_name(SitingProblem p);

/// True for the problems that honour candidate capacities (MCLP and p-median, heuristic and exact).
inline constexpr bool capacities_apply(SitingProblem p) {
  return p == SitingProblem::Mclp || p == SitingProblem::PMedian;
}
/// What solve_siting says (std::invalid_argument) when an instance with capacities is given to
/// LSCP or p-center.
inline constexpr const char* CAPACITY_PROBLEMS =
    "capacities apply to mclp and pmedian only (lscp and pcenter have no capacitated model)";

/// Options of one solve.
struct SitingOptions {
  SitingProblem problem = SitingProblem::PMedian;
  int p = 1;  ///< number of NEW sites (existing ones are extra); ignored when budget >= 0 and by LSCP
  std::int64_t budget = -1;      ///< >= 0: total cost of new sites at most this instead of p (MCLP, p-median)
  core::ISeconds standard = -1;  ///< service standard, seconds (needed by LSCP, MCLP; < 0 = none)
  double target_share = 1.0;     ///< LSCP: share of all population to cover, 0..1
  bool one_per_group = false;    ///< at least one open site (new or existing) in every group
  /// p-median / p-center: seconds charged to a demand that no open site reaches (absent pair);
  /// 0 = one second more than the largest time in the matrix.
  core::ISeconds unreachable_cost = 0;
  bool exact = false;               ///< solve with GLPK's MIP instead of the heuristics
  double time_limit_s = 60.0;       ///< exact mode: GLPK time limit, seconds
  int lagrangian_iterations = 400;  ///< subgradient iterations for the bound
  /// Heuristics with capacities: also try the LP relaxation of the capacitated model (GLPK) as
  /// the bound when the instance is small (MCLP 20,000 pairs, p-median 10,000).
  bool capacity_lp_bound = true;
  const std::atomic<bool>* cancel = nullptr;  ///< set to true from another thread to stop early
  /// Called on the solving thread at each iteration of the bound with (iteration, iterations);
  /// the app shows progress with it (and may set *cancel from it or from any other thread).
  std::function<void(int done, int total)> progress;
};

/// One chosen site and what it adds, in the order a planner would build them.
struct MarginalRow {
  core::Id candidate = core::INVALID_ID;
  std::int64_t added_population = 0;  ///< people newly within the standard
  std::int64_t added_weighted = 0;  ///< priority-weighted people newly within the standard (x PRIORITY_SCALE)
  /// The objective with this and all earlier sites: p-median weighted seconds, MCLP covered
  /// priority-weighted people (x PRIORITY_SCALE), LSCP covered people, p-center worst seconds.
  std::int64_t objective_after = 0;
};

/// A demand point that no candidate (and no existing facility) reaches within the standard.
struct UncoverableDemand {
  core::Id demand = core::INVALID_ID;
  std::int64_t population = 0;
  core::ISeconds best_time = core::UNREACHABLE;  ///< fastest time to any candidate, seconds
};

/// How a solve ended. Unset only inside a solver, before it decides.
enum class SolveStatus : std::uint8_t { Unset, Ok, Optimal, TimeLimit, NoSolution, Infeasible, Cancelled };
/// The status as the command line and the app print it: "ok", "optimal", "time limit",
/// "time limit, no solution", "infeasible", "cancelled" (the app translates these).
const char* status_text(SolveStatus s);

/// The answer of one solve.
struct SitingResult {
  SitingProblem problem = SitingProblem::PMedian;
  SolveStatus status = SolveStatus::Unset;
  std::string method;            ///< e.g. "greedy (CELF) + fast interchange; Lagrangian bound"
  std::vector<core::Id> chosen;  ///< new sites, in marginal-table order
  /// p-median: sum population x seconds; MCLP: covered priority-weighted population
  /// (x PRIORITY_SCALE); LSCP: number of new sites; p-center: worst time, seconds.
  std::int64_t objective = 0;
  double bound = 0.0;        ///< lower bound (p-median, LSCP, p-center) or upper bound (MCLP)
  double gap_percent = 0.0;  ///< |objective - bound| / |objective| x 100 (0 when both are 0)
  bool proven_optimal = false;
  std::int64_t total_population = 0;
  /// Within the standard with existing + chosen sites; with capacities: served within the
  /// standard and the capacities (a maximum flow that also maximises the weighted figure).
  std::int64_t covered_population = 0;
  std::int64_t covered_weighted = 0;  ///< the same, priority-weighted (x PRIORITY_SCALE)
  std::int64_t covered_before = 0;    ///< population within the standard of existing sites only (same rule)
  std::int64_t unserved_demands = 0;  ///< demand points no open site reaches at all
  std::vector<MarginalRow> marginal;
  std::vector<UncoverableDemand> uncoverable;  ///< LSCP/MCLP: no site within the standard
  double seconds = 0.0;                        ///< wall time of the solve
};

/// Solves one problem. Never throws on expected outcomes (infeasible target, empty candidate
/// set): they come back in `status`. Throws std::invalid_argument on an invalid instance.
SitingResult solve_siting(const SitingInstance& inst, const SitingOptions& opt);

/// Objective of a given set of new sites (existing ones added) under the options' problem,
/// in the units of SitingResult::objective (LSCP: number of sites). With capacities (MCLP,
/// p-median) the assignment is capacitated, as the exact model's: demand split between open
/// sites within their capacities, people left over count as not covered (MCLP) or pay the
/// unreachable cost (p-median).
std::int64_t evaluate_sites(const SitingInstance& inst, const SitingOptions& opt,
                            const std::vector<core::Id>& new_sites);

/// Exact solution through GLPK's branch and cut with opt.time_limit_s. The result's bound is
/// GLPK's best bound; status "optimal" or "time limit" (objective = best incumbent).
SitingResult solve_siting_exact(const SitingInstance& inst, const SitingOptions& opt);

}  // namespace kepumap::optimize
