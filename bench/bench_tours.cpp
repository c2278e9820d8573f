// Tour solver benchmark: random uniform TSP instances up to 1000 stops (time and tour length
// against a nearest-neighbour + 2-opt baseline), the TSPLIB and Solomon reference instances,
// and caravan year plans on random banner-like instances. Prints figures; asserts nothing.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "optimize/caravan.hpp"
#include "optimize/tour.hpp"
#include "optimize/tour_formats.hpp"
#include "optimize/tour_rng.hpp"

namespace opt = kepumap::optimize;

namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

opt::CostMatrix uniform_instance(int n, std::uint64_t seed) {
  opt::detail::Rng rng(seed);
  std::vector<double> x(static_cast<std::size_t>(n)), y(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    x[static_cast<std::size_t>(i)] = rng.uniform() * 1'000'000.0;  // metres, a 1000 km square
    y[static_cast<std::size_t>(i)] = rng.uniform() * 1'000'000.0;
  }
  opt::CostMatrix m(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      m.at(i, j) = static_cast<std::int32_t>(
          std::lround(std::hypot(x[static_cast<std::size_t>(i)] - x[static_cast<std::size_t>(j)],
                                 y[static_cast<std::size_t>(i)] - y[static_cast<std::size_t>(j)])));
  return m;
}

opt::CaravanProblem banner_instance(int n, std::uint64_t seed, bool anywhere) {
  opt::detail::Rng rng(seed);
  opt::CaravanProblem p;
  std::vector<double> x, y;
  for (int i = 0; i < n; ++i) {
    opt::CaravanStop s;
    s.name = "stop";
    s.visits_per_year = i == 0 ? 0 : (rng.below(10) == 0 ? 2 : 1);  // 1 in 10 a township: twice
    s.lodging = rng.below(10) == 0;
    s.population = 200 + rng.below(2000);
    s.priority = rng.below(3);
    p.stops.push_back(s);
    x.push_back(i == 0 ? 100.0 : rng.uniform() * 200.0);  // km, a 200 km banner
    y.push_back(i == 0 ? 100.0 : rng.uniform() * 200.0);
  }
  p.time = opt::CostMatrix(n);
  p.meters = opt::CostMatrix(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double km = 1.3 * std::hypot(x[static_cast<std::size_t>(i)] - x[static_cast<std::size_t>(j)],
                                         y[static_cast<std::size_t>(i)] - y[static_cast<std::size_t>(j)]);
      p.meters.at(i, j) = static_cast<std::int32_t>(km * 1000.0);
      p.time.at(i, j) = static_cast<std::int32_t>(km / 50.0 * 3600.0);
    }
  p.settings.overnight_anywhere = anywhere;
  p.settings.vehicles = 2;
  p.settings.blocked_months = {1, 2, 3, 11, 12};
  p.settings.seed = seed;
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path shared = argc > 1 ? argv[1] : "../shared/data";
  std::printf("## random uniform TSP (1000 km square, metres), 3 instances per size\n");
  std::printf(
      "| n | NN+2-opt length | NN+2-opt time | ILS length | ILS time | ILS kicks | ILS vs baseline "
      "|\n|---|---|---|---|---|---|---|\n");
  for (int n : {100, 200, 500, 1000}) {
    double bl = 0, bt = 0, il = 0, it = 0;
    int kicks = 0;
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const auto m = uniform_instance(n, seed * 1000 + static_cast<std::uint64_t>(n));
      auto t0 = std::chrono::steady_clock::now();
      const auto b = opt::tsp_nearest_neighbour_2opt(m);
      bt += since(t0);
      t0 = std::chrono::steady_clock::now();
      const auto r = opt::solve_tsp(m);
      it += since(t0);
      bl += static_cast<double>(b.length);
      il += static_cast<double>(r.length);
      kicks = r.iterations;
    }
    std::printf("| %d | %.0f km | %.3f s | %.0f km | %.2f s | %d | %+.1f %% |\n", n, bl / 3000.0, bt / 3,
                il / 3000.0, it / 3, kicks, 100.0 * (il - bl) / bl);
  }

  std::printf(
      "\n## TSPLIB (optimum known)\n| instance | optimum | NN+2-opt | ILS | gap | time "
      "|\n|---|---|---|---|---|---|\n");
  const struct {
    const char* f;
    double opt;
  } tsp[] = {{"eil51.tsp", 426}, {"berlin52.tsp", 7542}, {"kroA100.tsp", 21282}, {"ch150.tsp", 6528}};
  for (const auto& c : tsp) {
    const auto path = shared / "bench/tsplib" / c.f;
    if (!std::filesystem::exists(path)) continue;
    const auto m = opt::read_tsplib(path).matrix();
    const auto b = opt::tsp_nearest_neighbour_2opt(m);
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = opt::solve_tsp(m);
    const double t = since(t0);
    std::printf("| %s | %.0f | %lld | %lld | %.2f %% | %.3f s |\n", c.f, c.opt,
                static_cast<long long>(b.length), static_cast<long long>(r.length),
                100.0 * (static_cast<double>(r.length) - c.opt) / c.opt, t);
  }

  std::printf(
      "\n## Solomon VRPTW (distance only; best known distance-only values)\n"
      "| instance | best known | distance | vehicles | gap | feasible | time "
      "|\n|---|---|---|---|---|---|---|\n");
  const struct {
    const char* f;
    double best;
  } sol[] = {{"C101.txt", 828.94}, {"R101.txt", 1642.88}, {"RC101.txt", 1643.41}, {"R201.txt", 1149.68}};
  for (const auto& c : sol) {
    const auto path = shared / "bench/solomon" / c.f;
    if (!std::filesystem::exists(path)) continue;
    const auto inst = opt::read_solomon(path);
    const auto t0 = std::chrono::steady_clock::now();
    const auto s = opt::solve_solomon(inst);
    const double t = since(t0);
    std::printf("| %s | %.2f | %.2f | %zu | %+.2f %% | %s | %.2f s |\n", c.f, c.best, s.distance,
                s.routes.size(), 100.0 * (s.distance - c.best) / c.best,
                opt::check_solomon(inst, s).empty() && s.unserved.empty() ? "yes" : "NO", t);
  }

  std::printf(
      "\n## caravan year plans (random 200 km banner, 50 km/h, 2 vehicles, Apr-Oct, 4000 iterations/round)\n"
      "| stops | overnight | tours | vehicle-days | driving h | visits | time "
      "|\n|---|---|---|---|---|---|---|\n");
  for (int n : {50, 100, 200}) {
    for (bool anywhere : {true, false}) {
      const auto p = banner_instance(n, 5, anywhere);
      const auto t0 = std::chrono::steady_clock::now();
      const auto plan = opt::plan_caravans(p);
      const double t = since(t0);
      std::printf("| %d | %s | %d | %d | %.1f | %d/%d | %.2f s |\n", n - 1,
                  anywhere ? "any stop" : "lodging only", plan.totals.tours, plan.totals.vehicle_days,
                  plan.totals.drive_hours, plan.totals.visits, plan.totals.visits_required, t);
    }
  }
  return 0;
}
