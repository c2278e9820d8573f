// What-if speed (issue 6 target): moving one facility and recomputing every coverage figure.
// 阿巴嘎旗: one education base moved 1 km at a time (its set's travel surface, the coverage of
// every unit and the targets recomputed). All of Inner Mongolia: the 103 county seats as
// facilities over a 1 km grid with a synthetic population (10 people per cell inside the counties;
// the demo has no county populations) — one seat moved at a time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "analysis/access_project.hpp"
#include "analysis/evaluation.hpp"
#include "io/project.hpp"

using namespace kepumap;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

void report(const char* what, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::printf("  %-44s median %8.1f ms   p90 %8.1f ms   (n=%zu)\n", what, v[v.size() / 2],
              v[v.size() * 9 / 10], v.size());
}

void bench_project(const char* path, const char* set_name, double cell_m, bool synthetic_pop, int runs) {
  core::Document doc = io::load_project(path);
  if (doc.diagnostics.has_errors()) {
    std::printf("cannot load %s\n", path);
    return;
  }
  if (cell_m > 0) doc.config.travel.cell_size_m = cell_m;
  core::Diagnostics diag;
  auto t0 = Clock::now();
  analysis::ProjectEvaluation pe;
  pe.travel = analysis::build_project_travel(doc, doc.config.travel, diag);
  pe.area = analysis::build_study_area(doc, pe.travel.pace, diag);
  if (synthetic_pop)
    for (std::size_t i = 0; i < pe.area.demand.people.data.size(); ++i)
      pe.area.demand.people.data[i] = pe.area.demand.unit.data[i] >= 0 ? 10.0f : 0.0f;
  std::vector<analysis::FacilitySet> sets = analysis::facility_sets(doc, pe.area);
  std::size_t k = sets.size();
  for (std::size_t i = 0; i < sets.size(); ++i)
    if (sets[i].facility == set_name) k = i;
  if (k == sets.size()) {
    // No standard for it in the project: the towns (county seats) as facilities, 60 minutes.
    analysis::FacilitySet s;
    s.facility = set_name;
    s.standard_s = 3600;
    for (const auto& l : doc.layers)
      if (l.role == core::Role::Town)
        for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
          s.points.push_back(l.geom.first_point(f));
          s.names.push_back("seat");
          s.levels.emplace_back();
          s.floor_area_m2.push_back(0);
        }
    sets.push_back(s);
    k = sets.size() - 1;
  }
  pe.ev = analysis::evaluate(doc, pe.area, pe.travel.model, sets, pe.priority);
  const double setup = ms_since(t0);
  std::printf("%s: grid %d x %d (%.0f m), %zu facilities in '%s'; set-up %.0f ms\n", path,
              pe.travel.model.width, pe.travel.model.height, pe.travel.model.cell,
              pe.ev.sets[k].points.size(), set_name, setup);
  analysis::SearchWorkspace ws;
  std::vector<double> whole, full, surface, coverage, access_step;
  analysis::LiveAccess live;
  live.update(pe, k);  // first use: every facility searched
  std::printf("  access view, first use (every facility searched): %.1f ms\n", live.last_ms());
  t0 = Clock::now();
  const analysis::FacilityDrag drag(pe.travel.model, pe.ev.sets[k].points, 0, ws);
  std::printf("  drag start (surface without the moved facility): %.1f ms\n", ms_since(t0));
  for (int i = 0; i < runs; ++i) {
    core::Vec2 p = pe.ev.sets[k].points[0];
    p.x += (i % 2 ? -1000.0 : 1000.0);
    p.y += (i % 4 < 2 ? 1000.0 : -1000.0);
    t0 = Clock::now();
    analysis::drag_update(pe.ev, k, 0, p, drag, doc, pe.area, pe.travel.model, ws, pe.priority);
    whole.push_back(ms_since(t0));
    // The coverage panel's capacity and accessibility view after the same step: the dragged
    // facility's reach list searched again, E2SFCA and (with capacities) capacity coverage.
    live.update(pe, k);
    access_step.push_back(live.last_ms());
    if (live.searched() != 1) std::printf("  (access view searched %zu facilities)\n", live.searched());
    t0 = Clock::now();
    analysis::update_set(pe.ev, k, doc, pe.area, pe.travel.model, ws, pe.priority);
    full.push_back(ms_since(t0));
    t0 = Clock::now();
    const auto s = analysis::travel_surface(pe.travel.model, pe.ev.sets[k].points, ws);
    surface.push_back(ms_since(t0));
    t0 = Clock::now();
    const auto c = analysis::compute_coverage(pe.area.demand, pe.area.levels, pe.ev.services, pe.area.facts,
                                              pe.priority);
    coverage.push_back(ms_since(t0));
    if (c.total.population <= 0 || s.seconds.data.empty()) std::printf("  (empty result)\n");
  }
  report("drag step: pruned search + every figure", whole);
  report("access view after the step (E2SFCA + capacity)", access_step);
  report("for comparison: full recomputation", full);
  report("  full travel surface of the set", surface);
  report("  coverage of every unit", coverage);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string root = argc > 1 ? argv[1] : ".";
  bench_project((root + "/data/abag/project.toml").c_str(), "education_base", 0, false, 21);
  bench_project((root + "/data/nmg/project.toml").c_str(), "county_seat", 1000, true, 7);
  return 0;
}
