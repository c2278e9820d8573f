#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "analysis/whatif.hpp"

using namespace kepumap;

namespace {
// A 120 x 90 grid of 500 m cells: grassland at 25 km/h, a slow marsh band, an impassable lake,
// and one fast road across it.
analysis::TravelModel model() {
  core::GridF pace(120, 90, 0.0, 45'000.0, 500.0, static_cast<float>(3.6 / 25.0));
  for (int r = 30; r < 60; ++r)
    for (int c = 50; c < 58; ++c) pace.at(c, r) = static_cast<float>(3.6 / 8.0);
  for (int r = 10; r < 20; ++r)
    for (int c = 20; c < 40; ++c) pace.at(c, r) = analysis::IMPASSABLE;
  analysis::RoadInput in;
  core::Geometries roads;
  roads.kind = core::GeomKind::Line;
  const core::Vec2 line[] = {{1'000, 20'000}, {59'000, 26'000}};
  roads.add_ring(line);
  roads.end_part();
  roads.end_feature();
  in.lines = &roads;
  in.speed_kmh = {80.0};
  const auto net = analysis::build_road_network(in, analysis::RoadOptions{});
  return analysis::build_travel_model(pace, net, 16);
}
}  // namespace

TEST_CASE("a dragged facility gives exactly the surface of a full search, every time", "[whatif]") {
  const analysis::TravelModel m = model();
  std::vector<core::Vec2> fac{{5'000, 5'000}, {40'000, 30'000}, {55'000, 40'000}, {20'000, 35'000}};
  analysis::SearchWorkspace ws;
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> x(0, 60'000), y(0, 45'000);
  for (std::size_t moving : {std::size_t{0}, std::size_t{2}}) {
    analysis::FacilityDrag drag(m, fac, moving, ws);
    for (int step = 0; step < 6; ++step) {
      fac[moving] = {x(rng), y(rng)};
      analysis::TravelSurface fast;
      drag.move_to(m, fac[moving], fast, ws);
      analysis::SearchWorkspace fresh;
      const analysis::TravelSurface full = analysis::travel_surface(m, fac, fresh);
      REQUIRE(fast.seconds.data.size() == full.seconds.data.size());
      std::size_t differ = 0;
      for (std::size_t i = 0; i < full.seconds.data.size(); ++i) {
        const float a = fast.seconds.data[i], b = full.seconds.data[i];
        if (!(a == b || (std::isinf(a) && std::isinf(b)))) ++differ;
        // Ties between two facilities may name either; the time must agree.
      }
      CHECK(differ == 0);
      CHECK(drag.last_settled() < full.seconds.data.size());  // the search stayed in the catchment
    }
  }
}

TEST_CASE("dragging the only facility of a set searches the whole grid", "[whatif]") {
  const analysis::TravelModel m = model();
  const std::vector<core::Vec2> fac{{30'000, 30'000}};
  analysis::SearchWorkspace ws;
  analysis::FacilityDrag drag(m, fac, 0, ws);
  analysis::TravelSurface s;
  drag.move_to(m, {10'000, 40'000}, s, ws);
  analysis::SearchWorkspace fresh;
  const auto full = analysis::travel_surface(m, std::vector<core::Vec2>{{10'000, 40'000}}, fresh);
  CHECK(s.seconds.data == full.seconds.data);
  CHECK(s.nearest.data == full.nearest.data);
}
