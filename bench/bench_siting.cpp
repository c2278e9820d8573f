// Siting benchmark: 15,000 demand points x 2,000 candidates (random clustered planar points,
// travel time = straight-line distance / 60 km/h), p = 20, MCLP and p-median. Prints time,
// objective, bound and gap of kepumap's heuristics, then the same instances through GLPK's
// exact MIP with a time limit (the way spopt states and solves them), side by side.
//
// Capacitated rows (1000 x 150 and 3000 x 400): every candidate holds 60 % of the people an
// equal share of p + the existing sites would serve, so capacities bind; heuristic (greedy + swap
// over the capacitated assignment) against GLPK's capacitated MIP.
//
// usage: bench_siting [--time-limit SECONDS] [--no-exact] [--dense] [--medium-only] [--full-mclp-only]
//                     [--lr-iterations N] [--capacity-only]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "optimize/siting.hpp"

using namespace kepumap::optimize;

namespace {

struct Points {
  std::vector<double> x, y;
};

/// Clustered points in a 300 km x 300 km square (metres): 40 towns with normal spread.
Points clustered(std::mt19937& rng, std::size_t count, const Points& centres, double sigma) {
  std::normal_distribution<double> N(0.0, sigma);
  Points p;
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t c = rng() % centres.x.size();
    p.x.push_back(centres.x[c] + N(rng));
    p.y.push_back(centres.y[c] + N(rng));
  }
  return p;
}

SitingInstance make_instance(const Points& d, const Points& s, const std::vector<std::int64_t>& pop,
                             const std::vector<std::int32_t>& prio, double radius_s) {
  const double speed = 60.0 / 3.6;
  std::vector<CostEntry> e;
  for (std::size_t i = 0; i < d.x.size(); ++i)
    for (std::size_t j = 0; j < s.x.size(); ++j) {
      const double t = std::hypot(d.x[i] - s.x[j], d.y[i] - s.y[j]) / speed;
      if (radius_s < 0.0 || t <= radius_s)
        e.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j),
                     static_cast<kepumap::core::ISeconds>(std::lround(t))});
    }
  SitingInstance inst;
  inst.times = triplet_matrix(d.x.size(), s.x.size(), std::move(e));
  inst.population = pop;
  inst.priority = prio;
  return inst;
}

int lr_iterations = 400;

/// Solves and prints one row: wall and CPU seconds (the machine may be shared), objective,
/// bound, gap.
SitingResult run_row(const char* name, const char* method, const SitingInstance& inst, SitingOptions o,
                     double scale) {
  o.lagrangian_iterations = lr_iterations;
  const std::clock_t c0 = std::clock();
  const SitingResult r = solve_siting(inst, o);
  const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  const bool none = r.status == SolveStatus::NoSolution;
  char obj[64], gap[32];
  std::snprintf(obj, sizeof obj, "%16.1f", static_cast<double>(r.objective) / scale);
  std::snprintf(gap, sizeof gap, "%7.3f %%", r.gap_percent);
  std::printf("%-14s %-38s wall %7.2f s cpu %7.2f s  objective %16s  bound %16.1f  gap %9s  %s\n", name,
              method, r.seconds, cpu, none ? "-" : obj, r.bound / scale, none ? "-" : gap,
              status_text(r.status));
  std::fflush(stdout);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  double limit = 120.0;
  bool exact = true, dense = false, medium_only = false, full_mclp_only = false, capacity_only = false;
  for (int k = 1; k < argc; ++k) {
    if (!std::strcmp(argv[k], "--time-limit") && k + 1 < argc)
      limit = std::atof(argv[++k]);
    else if (!std::strcmp(argv[k], "--no-exact"))
      exact = false;
    else if (!std::strcmp(argv[k], "--dense"))
      dense = true;
    else if (!std::strcmp(argv[k], "--medium-only"))
      medium_only = true;
    else if (!std::strcmp(argv[k], "--full-mclp-only"))
      full_mclp_only = true;
    else if (!std::strcmp(argv[k], "--capacity-only"))
      capacity_only = true;
    else if (!std::strcmp(argv[k], "--lr-iterations") && k + 1 < argc)
      lr_iterations = std::atoi(argv[++k]);
  }
  std::mt19937 rng(20240601);
  std::uniform_real_distribution<double> U(0.0, 300000.0);
  Points towns;
  for (int k = 0; k < 40; ++k) {
    towns.x.push_back(U(rng));
    towns.y.push_back(U(rng));
  }
  const Points dem = clustered(rng, 15000, towns, 12000.0);
  const Points cand = clustered(rng, 2000, towns, 15000.0);
  std::vector<std::int64_t> pop(dem.x.size());
  std::vector<std::int32_t> prio(dem.x.size());
  for (std::size_t i = 0; i < pop.size(); ++i) {
    pop[i] = 20 + static_cast<std::int64_t>(rng() % 500);
    prio[i] = 1000 + static_cast<std::int32_t>(rng() % 3) * 500;
  }
  std::printf(
      "instance: 15000 demand points x 2000 candidates, 40 clusters in 300 x 300 km, 60 km/h, p = 20\n"
      "(the smaller instances are the first demand points and candidates of it)\n");

  // Three sizes: the full 15000 x 2000 instance, and 3000 x 400 and 1000 x 150 subsets where
  // GLPK can finish (MCLP) or at least start (p-median).
  struct Size {
    const char* tag;
    std::size_t n, m;
  };
  for (const Size& z :
       {Size{"15000x2000", 15000, 2000}, Size{"3000x400", 3000, 400}, Size{"1000x150", 1000, 150}}) {
    if (medium_only && z.n > 3000) continue;
    if (full_mclp_only && z.n < 15000) continue;
    Points dz, cz;
    dz.x.assign(dem.x.begin(), dem.x.begin() + static_cast<std::ptrdiff_t>(z.n));
    dz.y.assign(dem.y.begin(), dem.y.begin() + static_cast<std::ptrdiff_t>(z.n));
    cz.x.assign(cand.x.begin(), cand.x.begin() + static_cast<std::ptrdiff_t>(z.m));
    cz.y.assign(cand.y.begin(), cand.y.begin() + static_cast<std::ptrdiff_t>(z.m));
    const std::vector<std::int64_t> pz(pop.begin(), pop.begin() + static_cast<std::ptrdiff_t>(z.n));
    const std::vector<std::int32_t> rz(prio.begin(), prio.begin() + static_cast<std::ptrdiff_t>(z.n));
    // Capacitated MCLP and p-median on the two smaller sizes.
    if (z.n <= 3000 && !full_mclp_only) {
      for (const SitingProblem prob : {SitingProblem::Mclp, SitingProblem::PMedian}) {
        const bool mclp = prob == SitingProblem::Mclp;
        SitingInstance inst = make_instance(dz, cz, pz, rz, mclp ? 1200.0 : 3600.0);
        std::int64_t people = 0;
        for (std::int64_t v : pz) people += v;
        inst.capacity.assign(z.m, people * 6 / 10 / 20);
        SitingOptions o;
        o.problem = prob;
        o.p = 20;
        o.standard = 1200;
        if (!mclp) o.unreachable_cost = 7200;
        std::printf("[%s] capacitated %s: %zu pairs, capacity %lld people per site\n", z.tag,
                    mclp ? "MCLP" : "p-median", inst.times.nnz(), static_cast<long long>(inst.capacity[0]));
        const double scale = mclp ? PRIORITY_SCALE : 1.0;
        const char* tag = mclp ? "cap MCLP p=20" : "cap p-med p=20";
        const SitingResult h = run_row(tag, "kepumap greedy + swap, capacitated", inst, o, scale);
        std::printf("  method: %s\n", h.method.c_str());
        if (exact) {
          o.exact = true;
          o.time_limit_s = limit;
          const SitingResult x = run_row(tag, "GLPK MIP (time limit)", inst, o, scale);
          if (x.status != SolveStatus::NoSolution)
            std::printf("  kepumap vs GLPK incumbent: %+.4f %%\n",
                        (static_cast<double>(h.objective) / static_cast<double>(x.objective) - 1.0) * 100.0);
        }
      }
    }
    if (capacity_only) continue;
    // MCLP: standard 20 minutes; the coverage matrix holds the pairs within the standard.
    {
      const SitingInstance inst = make_instance(dz, cz, pz, rz, 1200.0);
      std::printf("[%s] MCLP matrix: %zu pairs within 1200 s\n", z.tag, inst.times.nnz());
      SitingOptions o;
      o.problem = SitingProblem::Mclp;
      o.p = 20;
      o.standard = 1200;
      const SitingResult h =
          run_row("MCLP p=20", "kepumap CELF + interchange + Lagrangian", inst, o, PRIORITY_SCALE);
      if (exact) {
        o.exact = true;
        o.time_limit_s = limit;
        const SitingResult x = run_row("MCLP p=20", "GLPK MIP (time limit)", inst, o, PRIORITY_SCALE);
        if (x.status != SolveStatus::NoSolution)
          std::printf("  kepumap vs GLPK incumbent: %+.4f %%\n",
                      (static_cast<double>(h.objective) / static_cast<double>(x.objective) - 1.0) * 100.0);
      }
    }
    // p-median: pairs within 60 minutes; a demand no open site reaches pays 2 hours.
    if (!full_mclp_only) {
      const SitingInstance inst = make_instance(dz, cz, pz, rz, 3600.0);
      std::printf("[%s] p-median matrix: %zu pairs within 3600 s, unreachable cost 7200 s\n", z.tag,
                  inst.times.nnz());
      SitingOptions o;
      o.problem = SitingProblem::PMedian;
      o.p = 20;
      o.unreachable_cost = 7200;
      const SitingResult h =
          run_row("p-median p=20", "kepumap CELF + fast interchange + Lagr.", inst, o, 1.0);
      if (exact) {
        o.exact = true;
        o.time_limit_s = limit;
        const SitingResult x = run_row("p-median p=20", "GLPK MIP (time limit)", inst, o, 1.0);
        if (x.status != SolveStatus::NoSolution)
          std::printf("  kepumap vs GLPK incumbent: %+.4f %%\n",
                      (static_cast<double>(h.objective) / static_cast<double>(x.objective) - 1.0) * 100.0);
      }
    }
  }
  if (dense) {
    // The full 30 million pair matrix, heuristics and bound only.
    const SitingInstance inst = make_instance(dem, cand, pop, prio, -1.0);
    SitingOptions o;
    o.problem = SitingProblem::PMedian;
    o.p = 20;
    std::printf("p-median dense matrix: %zu pairs\n", inst.times.nnz());
    run_row("p-median dense", "kepumap CELF + fast interchange + Lagr.", inst, o, 1.0);
  }
  return 0;
}
