// Siting solvers: OR-Library optima, heuristics against GLPK's exact MIP on random instances,
// bounds that really bound, monotone MCLP, constraints, marginal tables.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <future>
#include <mutex>
#include <random>

#include "optimize/siting.hpp"
#include "optimize/siting_io.hpp"
#include "skip.hpp"
#include "test_paths.hpp"

using namespace kepumap::optimize;
using kepumap::core::Id;
using kepumap::core::ISeconds;

namespace {

/// Random clustered planar instance: times = Euclidean distance (metres) / speed, whole seconds.
SitingInstance random_instance(std::uint32_t seed, std::size_t n, std::size_t m, double radius_s = -1.0,
                               std::size_t existing = 0) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> U(0.0, 1.0);
  std::vector<double> cx(4), cy(4);
  for (std::size_t k = 0; k < cx.size(); ++k) {
    cx[k] = U(rng) * 50000.0;
    cy[k] = U(rng) * 50000.0;
  }
  std::normal_distribution<double> N(0.0, 7000.0);
  auto point = [&](double& x, double& y) {
    const std::size_t k = rng() % cx.size();
    x = cx[k] + N(rng);
    y = cy[k] + N(rng);
  };
  std::vector<double> dx(n), dy(n), sx(m), sy(m);
  for (std::size_t i = 0; i < n; ++i) point(dx[i], dy[i]);
  for (std::size_t j = 0; j < m; ++j) point(sx[j], sy[j]);
  SitingInstance inst;
  const double speed = 60.0 / 3.6;  // 60 km/h in m/s
  std::vector<CostEntry> e;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      const double t = std::hypot(dx[i] - sx[j], dy[i] - sy[j]) / speed;
      if (radius_s < 0.0 || t <= radius_s)
        e.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j),
                     static_cast<ISeconds>(std::lround(t))});
    }
  inst.times = triplet_matrix(n, m, std::move(e));
  inst.population.resize(n);
  inst.priority.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    inst.population[i] = 50 + static_cast<std::int64_t>(rng() % 2000);
    inst.priority[i] = 1000 + static_cast<std::int32_t>(rng() % 3) * 500;  // 1.0, 1.5 or 2.0
  }
  for (std::size_t k = 0; k < existing; ++k) inst.existing.push_back(static_cast<Id>(rng() % m));
  std::sort(inst.existing.begin(), inst.existing.end());
  inst.existing.erase(std::unique(inst.existing.begin(), inst.existing.end()), inst.existing.end());
  return inst;
}

bool is_min(SitingProblem p) { return p != SitingProblem::Mclp; }

/// Lower bound <= exact optimum <= heuristic (reversed for MCLP).
void check_sandwich(const SitingResult& heur, const SitingResult& exact) {
  REQUIRE(exact.status == SolveStatus::Optimal);
  const double opt = static_cast<double>(exact.objective);
  if (is_min(heur.problem)) {
    CHECK(heur.bound <= opt + 1e-6);
    CHECK(heur.objective >= exact.objective);
  } else {
    CHECK(heur.bound >= opt - 1e-6);
    CHECK(heur.objective <= exact.objective);
  }
}

double rel_gap(std::int64_t a, std::int64_t b) {
  if (a == b) return 0.0;
  return std::fabs(static_cast<double>(a - b)) / std::max(1.0, std::fabs(static_cast<double>(b))) * 100.0;
}

}  // namespace

TEST_CASE("OR-Library pmed1-pmed5 within 0.5 % of the proven optimum", "[siting][orlib]") {
  if (!kepumap::test::have_shared_data()) {
    KEPUMAP_SKIP("shared data absent: OR-Library test skipped");
  }
  const std::int64_t optimum[] = {5819, 4093, 4250, 3034, 1355};
  for (int k = 1; k <= 5; ++k) {
    const auto file =
        kepumap::test::shared_data() / "bench" / "orlib" / ("pmed" + std::to_string(k) + ".txt");
    const OrlibInstance o = read_orlib_pmedian(file);
    SitingOptions opt;
    opt.problem = SitingProblem::PMedian;
    opt.p = o.p;
    const SitingResult r = solve_siting(o.instance, opt);
    const double off = rel_gap(r.objective, optimum[k - 1]);
    INFO("pmed" << k << ": objective " << r.objective << " optimum " << optimum[k - 1] << " (" << off
                << " % above), bound " << r.bound << ", gap " << r.gap_percent << " %");
    CHECK(static_cast<int>(r.chosen.size()) == o.p);
    CHECK(r.objective >= optimum[k - 1]);  // nothing beats a proven optimum
    CHECK(off <= 0.5);
    CHECK(r.bound <= static_cast<double>(optimum[k - 1]) + 1e-6);
    CHECK(r.objective == evaluate_sites(o.instance, opt, r.chosen));
  }
}

TEST_CASE("p-median heuristic against GLPK exact on random instances", "[siting][exact]") {
  for (std::uint32_t seed = 1; seed <= 8; ++seed) {
    const SitingInstance inst = random_instance(seed, 60, 25, -1.0, seed % 3);
    for (int p : {2, 4, 6}) {
      SitingOptions opt;
      opt.problem = SitingProblem::PMedian;
      opt.p = p;
      const SitingResult h = solve_siting(inst, opt);
      opt.exact = true;
      const SitingResult x = solve_siting(inst, opt);
      INFO("seed " << seed << " p " << p << ": heuristic " << h.objective << " exact " << x.objective
                   << " bound " << h.bound);
      check_sandwich(h, x);
      CHECK(rel_gap(h.objective, x.objective) <= 1.0);
      CHECK(x.objective == evaluate_sites(inst, opt, x.chosen));
    }
  }
}

TEST_CASE("MCLP heuristic against GLPK exact - bound is an upper bound", "[siting][exact]") {
  for (std::uint32_t seed = 11; seed <= 18; ++seed) {
    const SitingInstance inst = random_instance(seed, 80, 30, -1.0, seed % 2);
    for (int p : {1, 3, 5}) {
      SitingOptions opt;
      opt.problem = SitingProblem::Mclp;
      opt.p = p;
      opt.standard = 600;  // 10 minutes = 10 km at 60 km/h
      const SitingResult h = solve_siting(inst, opt);
      opt.exact = true;
      const SitingResult x = solve_siting(inst, opt);
      INFO("seed " << seed << " p " << p << ": heuristic " << h.objective << " exact " << x.objective
                   << " bound " << h.bound);
      check_sandwich(h, x);
      CHECK(rel_gap(h.objective, x.objective) <= 1.0);
      CHECK(h.covered_weighted == h.objective);
    }
  }
}

TEST_CASE("LSCP and p-center heuristics against GLPK exact", "[siting][exact]") {
  for (std::uint32_t seed = 21; seed <= 26; ++seed) {
    const SitingInstance inst = random_instance(seed, 50, 20, -1.0, seed % 2);
    {
      SitingOptions opt;
      opt.problem = SitingProblem::Lscp;
      opt.standard = 900;
      opt.target_share = 0.9;
      const SitingResult h = solve_siting(inst, opt);
      opt.exact = true;
      const SitingResult x = solve_siting(inst, opt);
      INFO("LSCP seed " << seed << ": heuristic " << h.objective << " exact " << x.objective << " bound "
                        << h.bound);
      if (h.status == SolveStatus::Infeasible) {
        CHECK(x.status == SolveStatus::Infeasible);
      } else {
        check_sandwich(h, x);
        CHECK(h.objective <= x.objective + 1);
        // The answer meets the target.
        CHECK(static_cast<double>(h.covered_population) >=
              0.9 * static_cast<double>(h.total_population) - 1e-9);
      }
    }
    {
      SitingOptions opt;
      opt.problem = SitingProblem::PCenter;
      opt.p = 3;
      const SitingResult h = solve_siting(inst, opt);
      opt.exact = true;
      const SitingResult x = solve_siting(inst, opt);
      INFO("p-center seed " << seed << ": heuristic " << h.objective << " exact " << x.objective << " bound "
                            << h.bound);
      check_sandwich(h, x);
      CHECK(rel_gap(h.objective, x.objective) <= 10.0);
      CHECK(h.objective == evaluate_sites(inst, opt, h.chosen));
    }
  }
}

TEST_CASE("MCLP covered population never decreases as p grows", "[siting][property]") {
  for (std::uint32_t seed = 31; seed <= 34; ++seed) {
    const SitingInstance inst = random_instance(seed, 300, 80, 1200.0, 2);
    std::int64_t last = -1;
    for (int p = 0; p <= 12; ++p) {
      SitingOptions opt;
      opt.problem = SitingProblem::Mclp;
      opt.p = p;
      opt.standard = 600;
      const SitingResult r = solve_siting(inst, opt);
      INFO("seed " << seed << " p " << p << " objective " << r.objective << " previous " << last);
      CHECK(r.objective >= last);
      CHECK(r.bound >= static_cast<double>(r.objective));
      last = r.objective;
    }
  }
}

TEST_CASE("budget and one-per-group constraints hold and match exact", "[siting][constraints]") {
  for (std::uint32_t seed = 41; seed <= 45; ++seed) {
    SitingInstance inst = random_instance(seed, 60, 24);
    std::mt19937 rng(seed);
    inst.cost.resize(24);
    inst.group.resize(24);
    for (std::size_t j = 0; j < 24; ++j) {
      inst.cost[j] = 10 + static_cast<std::int64_t>(rng() % 40);
      inst.group[j] = static_cast<Id>(j % 3);
    }
    for (SitingProblem prob : {SitingProblem::PMedian, SitingProblem::Mclp}) {
      SitingOptions opt;
      opt.problem = prob;
      opt.budget = 100;
      opt.standard = 700;
      opt.one_per_group = true;
      const SitingResult h = solve_siting(inst, opt);
      std::int64_t spent = 0;
      std::vector<int> per_group(3, 0);
      for (Id j : h.chosen) {
        spent += inst.cost[j];
        ++per_group[inst.group[j]];
      }
      CHECK(spent <= 100);
      for (int g : per_group) CHECK(g >= 1);
      opt.exact = true;
      const SitingResult x = solve_siting(inst, opt);
      INFO(problem_name(prob) << " seed " << seed << ": heuristic " << h.objective << " exact "
                              << x.objective);
      check_sandwich(h, x);
      CHECK(rel_gap(h.objective, x.objective) <= 3.0);
    }
  }
}

TEST_CASE("capacities are honoured by the exact mode and the heuristics alike", "[siting][constraints]") {
  // Two demands of 100 people next to site 0 (capacity 100) and site 1 farther (no limit).
  SitingInstance inst;
  inst.times = dense_matrix(2, 2, {10, 50, 10, 60});
  inst.population = {100, 100};
  inst.capacity = {100, 1000};
  SitingOptions opt;
  opt.problem = SitingProblem::PMedian;
  opt.p = 2;
  const SitingResult h = solve_siting(inst, opt);
  opt.exact = true;
  const SitingResult x = solve_siting(inst, opt);
  REQUIRE(x.status == SolveStatus::Optimal);
  // Site 0 serves one demand, the other goes to site 1: 100*10 + 100*50 (cheaper than 100*60).
  CHECK(x.bound == Approx(100 * 10 + 100 * 50));
  CHECK(x.objective == 100 * 10 + 100 * 50);
  CHECK(h.objective == x.objective);
  CHECK(h.proven_optimal);
}

TEST_CASE("LSCP names the demand no candidate reaches and its best time", "[siting][lscp]") {
  SitingInstance inst;
  // Demand 2 is 2 hours from everything.
  inst.times = dense_matrix(3, 2, {100, 900, 800, 200, 7200, 7300});
  inst.population = {10, 20, 5};
  SitingOptions opt;
  opt.problem = SitingProblem::Lscp;
  opt.standard = 300;
  const SitingResult r = solve_siting(inst, opt);
  CHECK(r.status == SolveStatus::Infeasible);
  REQUIRE(r.uncoverable.size() == 1);
  CHECK(r.uncoverable[0].demand == 2);
  CHECK(r.uncoverable[0].best_time == 7200);
  CHECK(r.objective == 2);  // both sites still needed for everyone coverable
  CHECK(r.covered_population == 30);
}

TEST_CASE("existing facilities stay fixed and count", "[siting][existing]") {
  SitingInstance inst = random_instance(51, 100, 30, -1.0, 3);
  SitingOptions opt;
  opt.problem = SitingProblem::PMedian;
  opt.p = 3;
  const SitingResult r = solve_siting(inst, opt);
  for (Id e : inst.existing) CHECK(std::find(r.chosen.begin(), r.chosen.end(), e) == r.chosen.end());
  // Objective with existing sites only is worse than with the new ones.
  CHECK(evaluate_sites(inst, opt, {}) >= r.objective);
}

TEST_CASE("marginal table: greedy order, gains add up, objective after matches", "[siting][marginal]") {
  const SitingInstance inst = random_instance(61, 400, 60, 1500.0, 1);
  SitingOptions opt;
  opt.problem = SitingProblem::Mclp;
  opt.p = 6;
  opt.standard = 600;
  const SitingResult r = solve_siting(inst, opt);
  REQUIRE(r.marginal.size() == r.chosen.size());
  std::int64_t added = 0, addw = 0;
  for (std::size_t k = 0; k < r.marginal.size(); ++k) {
    CHECK(r.marginal[k].candidate == r.chosen[k]);
    added += r.marginal[k].added_population;
    addw += r.marginal[k].added_weighted;
    if (k > 0) CHECK(r.marginal[k].added_weighted <= r.marginal[k - 1].added_weighted);  // submodular
    const std::vector<Id> prefix(r.chosen.begin(), r.chosen.begin() + static_cast<std::ptrdiff_t>(k + 1));
    CHECK(r.marginal[k].objective_after == evaluate_sites(inst, opt, prefix));
  }
  CHECK(added == r.covered_population - r.covered_before);
  CHECK(r.marginal.back().objective_after == r.objective);
  (void)addw;
}

TEST_CASE("cancel flag set from another thread mid-solve stops it with a result marked cancelled",
          "[siting]") {
  const SitingInstance inst = random_instance(71, 200, 50);
  SitingOptions opt;
  opt.problem = SitingProblem::PMedian;
  opt.p = 5;
  // Uncancelled, the bound runs several iterations (so stopping after the first is a real stop).
  int calls_free = 0;
  opt.progress = [&](int, int) { ++calls_free; };
  const SitingResult free_run = solve_siting(inst, opt);
  REQUIRE(free_run.status != SolveStatus::Cancelled);
  REQUIRE(calls_free > 1);

  // The solve runs on its own thread; at its first bound iteration (the heuristic is done) it
  // waits until the main thread has raised the flag, so the cancel lands mid-solve every time.
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  bool reached = false;
  int calls = 0;
  opt.cancel = &stop;
  opt.progress = [&](int, int) {
    ++calls;
    std::unique_lock lock(mu);
    reached = true;
    cv.notify_all();
    cv.wait(lock, [&] { return stop.load(); });
  };
  auto solving = std::async(std::launch::async, [&] { return solve_siting(inst, opt); });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return reached; });
    stop = true;
    cv.notify_all();
  }
  const SitingResult r = solving.get();
  CHECK(r.status == SolveStatus::Cancelled);
  CHECK(calls == 1);  // no bound iteration after the flag
  // The heuristic finished before the cancel: a complete, correctly scored solution is returned.
  REQUIRE(r.chosen.size() == 5);
  CHECK(r.objective == evaluate_sites(inst, opt, r.chosen));
}
