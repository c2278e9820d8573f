// optimize/caravan_project on the 阿巴嘎旗 demo (the set-up shared by `kepumap caravan` and the
// app's caravan panel): inputs read from the layers, every tour valid by the independent check,
// road paths joining the right stops and giving the tour lengths, and a stop moved between tours.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "analysis/travel_project.hpp"
#include "io/project.hpp"
#include "optimize/caravan_project.hpp"
#include "skip.hpp"
#include "test_paths.hpp"

using namespace kepumap;

namespace {
double gap(core::Vec2 a, core::Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }
}  // namespace

TEST_CASE("caravan_project: the abag plan's tours hold and follow the roads", "[caravan]") {
  const auto toml = test::source_dir() / "data/abag/project.toml";
  if (!std::filesystem::exists(toml)) {
    KEPUMAP_SKIP_INSTALLED("no data/abag/project.toml: skipped");
  }
  const core::Document doc = io::load_project(toml);
  REQUIRE(!doc.diagnostics.has_errors());
  optimize::CaravanProjectOptions o;
  o.settings.blocked_months = {1, 2, 3, 11, 12};
  o.settings.max_tour_days = 2;
  o.settings.max_drive_per_day = 6 * 3600;
  o.vehicles = 2;
  const auto in = optimize::collect_caravan_inputs(doc, o);
  REQUIRE(in.problems.empty());
  CHECK(in.depots.size() == 1);
  CHECK(in.vehicles == 2);
  CHECK(in.stops.size() == 12);  // the caravan_stop layer
  core::Diagnostics diag;
  const auto pt = analysis::build_project_travel(doc, doc.config.travel, diag);
  REQUIRE(!diag.has_errors());
  auto r = optimize::plan_project_caravans(pt.model, in, o);
  REQUIRE(r.problems.empty());
  REQUIRE(r.points.size() == in.depots.size() + in.stops.size() + in.beds.size());
  REQUIRE(r.plan.tours.size() >= 2);
  CHECK(r.plan.unserved.empty());
  for (const auto& t : r.plan.tours) {
    INFO("tour starting day " << t.first_day);
    CHECK(optimize::check_tour(r.problem, t).empty());
    double len = 0.0;
    for (const auto& s : t.steps) {
      if (s.kind != optimize::StepKind::Drive) continue;
      const auto& path = r.leg_path(s.from, s.to);
      REQUIRE(path.size() >= 2);
      // the path runs from the leg's stop to the next one (within a travel cell or so)
      CHECK(gap(path.front(), r.points[static_cast<std::size_t>(s.from)]) <
            2.0 * doc.config.travel.cell_size_m + 1.0);
      CHECK(gap(path.back(), r.points[static_cast<std::size_t>(s.to)]) <
            2.0 * doc.config.travel.cell_size_m + 1.0);
      for (std::size_t k = 1; k < path.size(); ++k) len += gap(path[k - 1], path[k]);
    }
    // the tour length is the length of its road paths (metres, per-leg rounding)
    CHECK(std::abs(static_cast<double>(t.meters) - len) <= 1.0 * static_cast<double>(t.steps.size()));
    CHECK(r.tour_line(t).size() >= 2);
  }
  // Move the first stop of the first tour to the last scheduled tour: both stay valid, all visits kept.
  int last = -1;
  for (std::size_t i = 0; i < r.plan.tours.size(); ++i)
    if (r.plan.tours[i].first_day >= 0) last = static_cast<int>(i);
  REQUIRE(last > 0);
  const int stop = r.plan.tours.front().stops.front();
  optimize::CaravanProblem p = r.problem;
  p.settings.vehicles = in.depots.front().vehicles;
  std::string why;
  if (optimize::move_stop(p, r.plan, stop, 0, last, &why)) {
    int visits = 0;
    for (const auto& t : r.plan.tours) {
      CHECK(optimize::check_tour(p, t).empty());
      if (t.first_day >= 0) visits += static_cast<int>(t.stops.size());
    }
    CHECK(visits == 12);
  } else {
    CHECK(!why.empty());  // refused with a reason, plan unchanged
  }
}
