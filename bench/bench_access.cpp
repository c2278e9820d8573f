// Capacity and balance (issue 18): E2SFCA over all of Inner Mongolia (data/nmg, 1 km grid,
// 103 county seats as facilities, synthetic 10 people per cell inside the counties) — the
// per-facility searches (reach lists) and the time beyond them; and capacity-limited coverage
// for 1,000 facilities on a uniform 4096 x 4096 grid.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "analysis/access.hpp"
#include "analysis/capacity.hpp"
#include "analysis/evaluation.hpp"
#include "io/project.hpp"

using namespace kepumap;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

void bench_nmg(const char* path, int threads) {
  core::Document doc = io::load_project(path);
  if (doc.diagnostics.has_errors()) {
    std::printf("cannot load %s\n", path);
    return;
  }
  core::Diagnostics diag;
  analysis::ProjectEvaluation pe;
  pe.travel = analysis::build_project_travel(doc, doc.config.travel, diag);
  pe.area = analysis::build_study_area(doc, pe.travel.pace, diag);
  std::vector<core::Vec2> seats;
  for (const auto& l : doc.layers)
    if (l.role == core::Role::Town)
      for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) seats.push_back(l.geom.first_point(f));
  const auto& ug = pe.area.demand.unit;
  std::vector<std::uint8_t> wanted(ug.data.size());
  std::vector<std::uint32_t> item_of(ug.data.size());
  std::vector<double> people;
  std::vector<std::int32_t> item_unit;
  for (std::size_t i = 0; i < ug.data.size(); ++i)
    if (ug.data[i] >= 0) {
      wanted[i] = 1;
      item_of[i] = static_cast<std::uint32_t>(people.size());
      people.push_back(10.0);
      item_unit.push_back(ug.data[i]);
    }
  std::printf("%s: grid %d x %d (%.0f m), %zu cells with people, %zu facilities\n", path,
              pe.travel.model.width, pe.travel.model.height, pe.travel.model.cell, people.size(),
              seats.size());
  for (double minutes : {60.0, 120.0}) {
    auto t0 = Clock::now();
    analysis::ReachLists r = analysis::facility_reach(pe.travel.model, seats, minutes * 60, wanted, threads);
    const double search = ms_since(t0);
    t0 = Clock::now();
    for (auto& it : r.item) it = item_of[it];
    r.items = people.size();
    std::vector<double> supply(seats.size(), 1.0);
    const analysis::Decay d = analysis::Decay::Gaussian;
    const auto fc = analysis::floating_catchment(people, r, supply, minutes * 60, &d);
    const auto um = analysis::unit_means(pe.area.levels, people, item_unit, fc.index);
    const double beyond = ms_since(t0);
    t0 = Clock::now();
    analysis::CapacityParams cp;
    cp.standard_s = minutes * 60;
    cp.capacity.assign(seats.size(), 200'000.0);
    const auto cap = analysis::capacity_coverage(people, r, cp);
    const double capms = ms_since(t0);
    std::printf(
        "  %3.0f min: reach lists %zu entries, searches %.0f ms (%d thread%s); E2SFCA + unit means %.1f ms; "
        "capacity coverage %.1f ms (mean %.3g, realised %.0f)\n",
        minutes, r.item.size(), search, threads, threads > 1 ? "s" : "", beyond, capms, fc.mean,
        cap.total_realised + 0 * um.value.size());
  }
}

void bench_grid(int n, int facilities, double minutes, int threads) {
  const double cell = 500.0;
  const core::GridF pace(n, n, 0.0, n * cell, cell, static_cast<float>(1.0 / core::mps(25.0)));
  auto t0 = Clock::now();
  const analysis::TravelModel m = analysis::build_travel_model(pace, {}, 16);
  const double build = ms_since(t0);
  std::mt19937 rng(18);
  std::uniform_real_distribution<double> u(0, n * cell);
  std::vector<core::Vec2> fac(static_cast<std::size_t>(facilities));
  for (auto& p : fac) p = {u(rng), u(rng)};
  std::vector<double> people(static_cast<std::size_t>(n) * n, 1.0);
  t0 = Clock::now();
  const analysis::ReachLists r = analysis::facility_reach(m, fac, minutes * 60, {}, threads);
  const double search = ms_since(t0);
  analysis::CapacityParams cp;
  cp.standard_s = minutes * 60;
  std::uniform_real_distribution<double> c(500, 8000);
  for (int j = 0; j < facilities; ++j) cp.capacity.push_back(c(rng));
  t0 = Clock::now();
  const auto res = analysis::capacity_coverage(people, r, cp);
  const double capms = ms_since(t0);
  std::printf(
      "uniform %d x %d grid (%.0f m, 25 km/h), %d facilities, %.0f min: model %.0f ms; reach lists %zu "
      "entries "
      "in %.0f ms (%d thread%s); capacity coverage %.0f ms (realised %.0f of reach %.0f)\n",
      n, n, cell, facilities, minutes, build, r.item.size(), search, threads, threads > 1 ? "s" : "", capms,
      res.total_realised, res.total_reach);
}

}  // namespace

int main(int argc, char** argv) {
  const char* nmg = argc > 1 ? argv[1] : "data/nmg/project.toml";
  const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  bench_nmg(nmg, threads);
  bench_grid(4096, 1000, 30.0, threads);
  return 0;
}
