// Siting with capacities in the heuristic solvers: known answers where capacities change the
// choice, the capacitated evaluator against GLPK's capacitated MIP on random instances, valid
// bounds, huge capacities = the uncapacitated answer, the marginal table and the problems that
// have no capacitated model.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "optimize/siting.hpp"

using namespace kepumap::optimize;
using kepumap::core::Id;
using kepumap::core::ISeconds;

namespace {

/// Random planar instance: n demands and m candidates in a 30 km square, times at 60 km/h (whole
/// seconds), pairs beyond `radius_s` absent; capacities between `cap_lo` and `cap_hi` people.
SitingInstance capacitated_instance(std::uint32_t seed, std::size_t n, std::size_t m, double radius_s,
                                    std::int64_t cap_lo, std::int64_t cap_hi, std::size_t existing = 0) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> U(0.0, 30000.0);
  std::vector<double> dx(n), dy(n), sx(m), sy(m);
  for (std::size_t i = 0; i < n; ++i) {
    dx[i] = U(rng);
    dy[i] = U(rng);
  }
  for (std::size_t j = 0; j < m; ++j) {
    sx[j] = U(rng);
    sy[j] = U(rng);
  }
  std::vector<CostEntry> e;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      const double t = std::hypot(dx[i] - sx[j], dy[i] - sy[j]) / (60.0 / 3.6);
      if (t <= radius_s)
        e.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j),
                     static_cast<ISeconds>(std::lround(t))});
    }
  SitingInstance inst;
  inst.times = triplet_matrix(n, m, std::move(e));
  inst.population.resize(n);
  inst.priority.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    inst.population[i] = 10 + static_cast<std::int64_t>(rng() % 200);
    inst.priority[i] = 1000 + static_cast<std::int32_t>(rng() % 3) * 500;
  }
  inst.capacity.resize(m);
  for (std::size_t j = 0; j < m; ++j)
    inst.capacity[j] =
        cap_lo + static_cast<std::int64_t>(rng() % static_cast<std::uint32_t>(cap_hi - cap_lo + 1));
  for (std::size_t k = 0; k < existing; ++k) inst.existing.push_back(static_cast<Id>(rng() % m));
  std::sort(inst.existing.begin(), inst.existing.end());
  inst.existing.erase(std::unique(inst.existing.begin(), inst.existing.end()), inst.existing.end());
  return inst;
}

std::int64_t total_population(const SitingInstance& inst) {
  std::int64_t s = 0;
  for (std::int64_t v : inst.population) s += v;
  return s;
}

}  // namespace

TEST_CASE("capacitated MCLP heuristic: a known answer the uncapacitated one misses", "[siting][capacity]") {
  // Demand a (100) reaches site 0 only, b (60) both, c (60) site 1 only. Without capacities site 0
  // covers 160; with site 0 limited to 100 people, site 1 (120 people) is the best single site.
  SitingInstance inst;
  inst.times = dense_matrix(3, 2, {300, 5000, 300, 300, 5000, 300});
  inst.population = {100, 60, 60};
  SitingOptions opt;
  opt.problem = SitingProblem::Mclp;
  opt.standard = 600;
  opt.p = 1;
  const SitingResult free_run = solve_siting(inst, opt);
  REQUIRE(free_run.chosen == std::vector<Id>{0});
  inst.capacity = {100, 200};
  const SitingResult r = solve_siting(inst, opt);
  INFO(r.method);
  CHECK(r.chosen == std::vector<Id>{1});
  CHECK(r.objective == 120 * PRIORITY_SCALE);
  CHECK(r.covered_population == 120);
  CHECK(r.covered_weighted == r.objective);
  CHECK(r.bound >= static_cast<double>(r.objective));
  CHECK(r.method.find("capacitated") != std::string::npos);
  opt.exact = true;
  const SitingResult x = solve_siting(inst, opt);
  REQUIRE(x.status == SolveStatus::Optimal);
  CHECK(x.objective == r.objective);
  CHECK(x.covered_population == 120);
  // Both sites: a at site 0 (100, its capacity), b and c at site 1.
  opt.exact = false;
  opt.p = 2;
  const SitingResult both = solve_siting(inst, opt);
  CHECK(both.objective == 220 * PRIORITY_SCALE);
  CHECK(both.proven_optimal);
  CHECK(both.gap_percent == 0.0);
}

TEST_CASE("capacitated p-median heuristic: a known answer the uncapacitated one misses",
          "[siting][capacity]") {
  // Two demands of 100 people; site 0 is 10 s from both but takes 100 people, site 1 is 20 and
  // 30 s away with room for all. Unreachable cost 100 s per person.
  SitingInstance inst;
  inst.times = dense_matrix(2, 2, {10, 20, 10, 30});
  inst.population = {100, 100};
  SitingOptions opt;
  opt.problem = SitingProblem::PMedian;
  opt.p = 1;
  opt.unreachable_cost = 100;
  const SitingResult free_run = solve_siting(inst, opt);
  REQUIRE(free_run.chosen == std::vector<Id>{0});
  REQUIRE(free_run.objective == 2000);
  inst.capacity = {100, 1000};
  const SitingResult r = solve_siting(inst, opt);
  INFO(r.method);
  CHECK(r.chosen == std::vector<Id>{1});
  CHECK(r.objective == 100 * 20 + 100 * 30);  // site 0 alone: 100 x 10 + 100 x 100 = 11000
  CHECK(evaluate_sites(inst, opt, {0}) == 11000);
  CHECK(r.bound <= static_cast<double>(r.objective));
  // Both: one demand at site 0, the other at site 1 (the one for which site 1 costs less).
  opt.p = 2;
  const SitingResult both = solve_siting(inst, opt);
  CHECK(both.objective == 100 * 10 + 100 * 20);
  opt.exact = true;
  const SitingResult x = solve_siting(inst, opt);
  REQUIRE(x.status == SolveStatus::Optimal);
  CHECK(x.objective == both.objective);
}

TEST_CASE("capacitated heuristics against GLPK's capacitated MIP on random instances - valid bounds",
          "[siting][capacity][exact]") {
  int equal = 0, runs = 0;
  for (std::uint32_t seed = 1; seed <= 24; ++seed) {
    const std::size_t n = 14 + seed % 7, m = 6 + seed % 3;
    const SitingInstance inst = capacitated_instance(seed, n, m, 1500.0, 150, 700, seed % 3 == 0 ? 1 : 0);
    for (const SitingProblem prob : {SitingProblem::Mclp, SitingProblem::PMedian}) {
      SitingOptions opt;
      opt.problem = prob;
      opt.p = 1 + static_cast<int>(seed % 3);
      opt.standard = 900;
      const SitingResult h = solve_siting(inst, opt);
      opt.exact = true;
      const SitingResult x = solve_siting(inst, opt);
      opt.exact = false;
      INFO(problem_name(prob) << " seed " << seed << " p " << opt.p << ": heuristic " << h.objective
                              << " exact " << x.objective << " bound " << h.bound << " (" << h.method << ")");
      REQUIRE(x.status == SolveStatus::Optimal);
      REQUIRE(h.status == SolveStatus::Ok);
      CHECK(static_cast<int>(h.chosen.size()) == opt.p);
      // The evaluator is the exact model's assignment: same figures for the same sites.
      CHECK(h.objective == evaluate_sites(inst, opt, h.chosen));
      CHECK(x.objective == evaluate_sites(inst, opt, x.chosen));
      if (prob == SitingProblem::Mclp) {
        CHECK(h.objective <= x.objective);
        CHECK(h.bound >= static_cast<double>(x.objective) - 1e-6);
        CHECK(h.covered_weighted == h.objective);
        CHECK(x.covered_weighted == x.objective);
      } else {
        CHECK(h.objective >= x.objective);
        CHECK(h.bound <= static_cast<double>(x.objective) + 1e-6);
      }
      CHECK(h.covered_population <= total_population(inst));
      CHECK(h.gap_percent == Approx(std::fabs(static_cast<double>(h.objective) - h.bound) /
                                    std::max(1e-12, std::fabs(static_cast<double>(h.objective))) * 100.0));
      equal += h.objective == x.objective;
      ++runs;
    }
  }
  INFO(equal << " of " << runs << " heuristic answers equal the exact optimum");
  CHECK(equal * 10 >= runs * 9);
}

TEST_CASE("capacitated bounds without the LP (Lagrangian and total capacity) are valid",
          "[siting][capacity][exact]") {
  int by_capacity = 0;
  for (std::uint32_t seed = 71; seed <= 90; ++seed) {
    // Tight capacities (the total-capacity bound wins) on odd seeds, loose ones on even seeds.
    const bool tight = seed % 2 == 1;
    const SitingInstance inst =
        capacitated_instance(seed, 18, 7, 1500.0, tight ? 60 : 300, tight ? 200 : 900, seed % 4 == 0 ? 1 : 0);
    for (const SitingProblem prob : {SitingProblem::Mclp, SitingProblem::PMedian}) {
      SitingOptions opt;
      opt.problem = prob;
      opt.p = 1 + static_cast<int>(seed % 3);
      opt.standard = 900;
      opt.capacity_lp_bound = false;
      const SitingResult h = solve_siting(inst, opt);
      opt.exact = true;
      const SitingResult x = solve_siting(inst, opt);
      INFO(problem_name(prob) << " seed " << seed << ": heuristic " << h.objective << " exact " << x.objective
                              << " bound " << h.bound << " (" << h.method << ")");
      REQUIRE(x.status == SolveStatus::Optimal);
      CHECK(h.method.find("LP relaxation") == std::string::npos);
      by_capacity += h.method.find("total capacity bound") != std::string::npos;
      if (prob == SitingProblem::Mclp) {
        CHECK(h.objective <= x.objective);
        CHECK(h.bound >= static_cast<double>(x.objective) - 1e-6);
      } else {
        CHECK(h.objective >= x.objective);
        CHECK(h.bound <= static_cast<double>(x.objective) + 1e-6);
      }
      CHECK(h.gap_percent >= 0.0);
    }
  }
  CHECK(by_capacity > 0);  // the total-capacity bound was exercised
}

TEST_CASE("capacitated bounds are valid with budget, groups and existing sites",
          "[siting][capacity][exact]") {
  for (std::uint32_t seed = 31; seed <= 40; ++seed) {
    SitingInstance inst = capacitated_instance(seed, 16, 8, 1500.0, 100, 500, 1);
    inst.cost.resize(8);
    inst.group.resize(8);
    for (std::size_t j = 0; j < 8; ++j) {
      inst.cost[j] = 1 + static_cast<std::int64_t>((seed * 7 + j * 3) % 4);
      inst.group[j] = static_cast<Id>(j % 2);
    }
    for (const SitingProblem prob : {SitingProblem::Mclp, SitingProblem::PMedian}) {
      SitingOptions opt;
      opt.problem = prob;
      opt.standard = 900;
      if (seed % 2 == 0)
        opt.budget = 5;
      else
        opt.p = 2;
      opt.one_per_group = seed % 3 == 0;
      const SitingResult h = solve_siting(inst, opt);
      opt.exact = true;
      const SitingResult x = solve_siting(inst, opt);
      INFO(problem_name(prob) << " seed " << seed << ": heuristic " << h.objective << " exact " << x.objective
                              << " bound " << h.bound);
      REQUIRE(x.status == SolveStatus::Optimal);
      if (h.status == SolveStatus::Infeasible) continue;
      std::int64_t spent = 0;
      for (Id j : h.chosen) spent += inst.cost[j];
      if (opt.budget >= 0) CHECK(spent <= opt.budget);
      if (opt.one_per_group) {
        bool g0 = false, g1 = false;
        for (Id j : h.chosen) (inst.group[j] == 0 ? g0 : g1) = true;
        for (Id j : inst.existing) (inst.group[j] == 0 ? g0 : g1) = true;
        CHECK((g0 && g1));
      }
      if (prob == SitingProblem::Mclp) {
        CHECK(h.objective <= x.objective);
        CHECK(h.bound >= static_cast<double>(x.objective) - 1e-6);
      } else {
        CHECK(h.objective >= x.objective);
        CHECK(h.bound <= static_cast<double>(x.objective) + 1e-6);
      }
    }
  }
}

TEST_CASE("huge capacities give exactly the uncapacitated heuristic's answer", "[siting][capacity]") {
  for (std::uint32_t seed = 51; seed <= 56; ++seed) {
    SitingInstance inst = capacitated_instance(seed, 120, 25, 1200.0, 1, 2, seed % 2);
    const std::int64_t all = total_population(inst);
    for (std::int64_t& c : inst.capacity) c = all;
    SitingInstance free_inst = inst;
    free_inst.capacity.clear();
    for (const SitingProblem prob : {SitingProblem::Mclp, SitingProblem::PMedian}) {
      SitingOptions opt;
      opt.problem = prob;
      opt.p = 4;
      opt.standard = 700;
      const SitingResult h = solve_siting(inst, opt);
      const SitingResult u = solve_siting(free_inst, opt);
      INFO(problem_name(prob) << " seed " << seed);
      CHECK(h.objective == u.objective);
      CHECK(h.bound == u.bound);
      CHECK(h.covered_population == u.covered_population);
      CHECK(h.covered_before == u.covered_before);
      // The capacitated evaluator agrees with the uncapacitated one when nothing binds.
      CHECK(evaluate_sites(inst, opt, u.chosen) == evaluate_sites(free_inst, opt, u.chosen));
    }
  }
}

TEST_CASE("capacitated marginal table: gains add up and objective after matches", "[siting][capacity]") {
  const SitingInstance inst = capacitated_instance(61, 150, 30, 1500.0, 300, 1500, 2);
  for (const SitingProblem prob : {SitingProblem::Mclp, SitingProblem::PMedian}) {
    SitingOptions opt;
    opt.problem = prob;
    opt.p = 5;
    opt.standard = 800;
    const SitingResult r = solve_siting(inst, opt);
    INFO(problem_name(prob));
    REQUIRE(r.marginal.size() == r.chosen.size());
    std::int64_t added = 0;
    for (std::size_t k = 0; k < r.marginal.size(); ++k) {
      CHECK(r.marginal[k].candidate == r.chosen[k]);
      CHECK(r.marginal[k].added_population >= 0);
      added += r.marginal[k].added_population;
      const std::vector<Id> prefix(r.chosen.begin(), r.chosen.begin() + static_cast<std::ptrdiff_t>(k + 1));
      CHECK(r.marginal[k].objective_after == evaluate_sites(inst, opt, prefix));
    }
    CHECK(added == r.covered_population - r.covered_before);
    CHECK(r.marginal.back().objective_after == r.objective);
  }
}

TEST_CASE("capacities with LSCP or p-center are refused in both modes with one message",
          "[siting][capacity]") {
  SitingInstance inst;
  inst.times = dense_matrix(2, 2, {10, 50, 10, 60});
  inst.population = {100, 100};
  inst.capacity = {100, 1000};
  for (const SitingProblem prob : {SitingProblem::Lscp, SitingProblem::PCenter})
    for (const bool exact : {false, true}) {
      SitingOptions opt;
      opt.problem = prob;
      opt.standard = 100;
      opt.exact = exact;
      CHECK_THROWS_WITH(solve_siting(inst, opt), CAPACITY_PROBLEMS);
    }
  inst.capacity = {-1, 5};
  SitingOptions opt;
  opt.problem = SitingProblem::PMedian;
  CHECK_THROWS_AS(solve_siting(inst, opt), std::invalid_argument);
}
