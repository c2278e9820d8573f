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

TEST_CASE("the changed box of a drag step holds every cell whose time changed, water included", "[whatif]") {
  analysis::TravelModel m = model();
  // the impassable lake is water: its people are reached from the banks
  m.water_mask.assign(static_cast<std::size_t>(m.width) * static_cast<std::size_t>(m.height), 0);
  for (int r = 10; r < 20; ++r)
    for (int c = 20; c < 40; ++c) {
      m.water_cells.push_back(static_cast<std::uint32_t>(r * m.width + c));
      m.water_mask[static_cast<std::size_t>(r * m.width + c)] = 1;
    }
  m.water_reach_pace = 3.6 / 4.0;
  std::vector<core::Vec2> fac{{5'000, 5'000}, {40'000, 30'000}, {55'000, 40'000}, {20'000, 35'000}};
  analysis::SearchWorkspace ws, fresh;
  const std::size_t cells = static_cast<std::size_t>(m.width) * static_cast<std::size_t>(m.height);
  for (std::size_t moving : {std::size_t{0}, std::size_t{3}}) {
    analysis::TravelSurface before = analysis::travel_surface(m, fac, fresh);
    analysis::TravelSurface out = before;  // as the session holds it when the drag starts
    analysis::FacilityDrag drag(m, fac, moving, ws);
    const core::Vec2 start = fac[moving];
    const core::Vec2 path[] = {{1'500, 1'000},  {3'000, -2'000}, {3'000, -2'000}, {12'000, 4'000},
                               {14'000, 8'000}, {0, 0},          {25'000, 1'000}};
    for (const core::Vec2 d : path) {
      const core::Vec2 p{start.x + d.x, start.y + d.y};
      const bool same_place = p.x == fac[moving].x && p.y == fac[moving].y;
      fac[moving] = p;
      drag.move_to(m, p, out, ws);
      const analysis::TravelSurface after = analysis::travel_surface(m, fac, fresh);
      const analysis::CellBox box = drag.last_changed();
      std::size_t outside = 0, wrong = 0, changed = 0;
      for (int r = 0; r < m.height; ++r)
        for (int c = 0; c < m.width; ++c) {
          const std::size_t i = static_cast<std::size_t>(r) * static_cast<std::size_t>(m.width) + c;
          const float a = before.seconds.data[i], b = after.seconds.data[i];
          if (!(a == b || (std::isinf(a) && std::isinf(b)))) {
            ++changed;
            if (!box.contains(c, r)) ++outside;
          }
          const float o = out.seconds.data[i];
          if (!(o == b || (std::isinf(o) && std::isinf(b)))) ++wrong;
        }
      CHECK(outside == 0);
      CHECK(wrong == 0);  // the incremental surface is the full search's
      if (same_place) CHECK(box.empty());
      if (changed > 0) {
        CHECK(!box.empty());
        // a step of a few km in a set of four changes part of the grid only
        CHECK(static_cast<std::size_t>(box.col1 - box.col0) * static_cast<std::size_t>(box.row1 - box.row0) <
              cells);
      }
      before = after;
    }
  }
}

TEST_CASE("a drag step onto a surface it did not write rewrites and reports every changed cell", "[whatif]") {
  const analysis::TravelModel m = model();
  std::vector<core::Vec2> fac{{5'000, 5'000}, {40'000, 30'000}};
  analysis::SearchWorkspace ws, fresh;
  analysis::FacilityDrag drag(m, fac, 1, ws);
  analysis::TravelSurface a, b;
  drag.move_to(m, {30'000, 30'000}, a, ws);  // empty: written whole
  CHECK(drag.last_changed() == analysis::CellBox::whole(m.width, m.height));
  b = a;
  drag.move_to(m, {31'000, 30'000}, a, ws);
  drag.move_to(m, {32'000, 29'000}, b, ws);  // b holds the first step, not the second
  fac[1] = {32'000, 29'000};
  const auto full = analysis::travel_surface(m, fac, fresh);
  CHECK(b.seconds.data == full.seconds.data);
}
