// Off-road grid and the combined search: error bounds, barriers, ASCII-art known answers,
// lower bounds, roads never hurt, scenarios.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "analysis/travel.hpp"
#include "travel_test_util.hpp"

using namespace kepumap;

namespace {

// Ratio (grid time / straight-line time) over every cell of a uniform grid, source at the
// centre cell's centre; cells closer than `min_cells` are skipped.
std::pair<double, double> ratio_range(int neighbours, int n, int min_cells) {
  const double cell = 1000.0, kmh = 3.6;  // 1 m/s: 1000 s per cell, rounding is 0.01 %
  const auto pace = test::uniform_grid(n, n, cell, kmh);
  const auto model = analysis::build_travel_model(pace, {}, neighbours);
  const core::Vec2 src = pace.cell_center(n / 2, n / 2);
  const auto s = analysis::travel_surface(model, std::span<const core::Vec2>(&src, 1));
  double lo = 1e9, hi = 0;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const double d = test::dist(pace.cell_center(c, r), src);
      if (d < min_cells * cell) continue;
      const double ratio = s.seconds.at(c, r) / (d / 1.0);
      lo = std::min(lo, ratio);
      hi = std::max(hi, ratio);
    }
  return {lo, hi};
}

}  // namespace

TEST_CASE("uniform friction: 8 moves stay within +8.24 %, 16 moves within +2.75 %", "[travel][grid]") {
  const auto [lo8, hi8] = ratio_range(8, 121, 5);
  CHECK(lo8 >= 1.0);
  CHECK(hi8 <= analysis::GRID8_MAX_OVERESTIMATE + 1e-3);
  CHECK(hi8 >= 1.07);  // the bound is nearly reached at 22.5°: it is the true worst case
  const auto [lo16, hi16] = ratio_range(16, 121, 5);
  CHECK(lo16 >= 1.0);
  CHECK(hi16 <= analysis::GRID16_MAX_OVERESTIMATE + 1e-3);
  CHECK(hi16 >= 1.02);
  // The stated constants are the analytic maxima.
  CHECK(analysis::GRID8_MAX_OVERESTIMATE == Approx(std::sqrt(4.0 - 2.0 * std::sqrt(2.0))).epsilon(1e-12));
  const double t = std::sqrt(5.0) - 2.0;
  CHECK(analysis::GRID16_MAX_OVERESTIMATE == Approx((t * t + 1.0) / std::sqrt(1.0 + t * t)).epsilon(1e-12));
}

TEST_CASE("ASCII grid: the way round a lake, known answer", "[travel][grid]") {
  // 100 m cells at 3.6 km/h: a straight move costs 100 s, a diagonal 141.5 s (rounded up to 0.1 s).
  const auto pace = test::ascii_grid(
      {
          "S....",
          "~~~~.",
          "T....",
      },
      100.0, 3.6);
  const auto model = analysis::build_travel_model(pace, {}, 8);
  const core::Vec2 s = pace.cell_center(0, 0);
  const auto surf = analysis::travel_surface(model, std::span<const core::Vec2>(&s, 1));
  CHECK(surf.seconds.at(4, 0) == Approx(400.0));
  CHECK(surf.seconds.at(4, 1) == Approx(441.5));
  // S -> 3 straight -> diagonal through the gap -> diagonal -> 3 straight -> T.
  CHECK(surf.seconds.at(0, 2) == Approx(883.0));
  CHECK(std::isinf(surf.seconds.at(0, 1)));
  CHECK(surf.nearest.at(0, 1) == -1);
  CHECK(surf.nearest.at(0, 2) == 0);
}

TEST_CASE("ASCII grid: a fast strip is used when it pays", "[travel][grid]") {
  // Row 1 is 10x faster ('9'). From S to T: down, along the strip, up beats the top row.
  const auto pace = test::ascii_grid(
      {
          "S........T",
          "9999999999",
      },
      100.0, 3.6);
  const auto model = analysis::build_travel_model(pace, {}, 8);
  const core::Vec2 s = pace.cell_center(0, 0);
  const auto surf = analysis::travel_surface(model, std::span<const core::Vec2>(&s, 1));
  // Down: 50 s + 5 s; 9 strip moves of 10 s; up: 55 s. Total 200 s < 900 s straight.
  CHECK(surf.seconds.at(9, 0) == Approx(200.0));
}

TEST_CASE("the border is a wall for 8 and 16 moves", "[travel][grid]") {
  for (int nb : {8, 16}) {
    analysis::FrictionInputs in;
    in.extent.add(core::Vec2{0, 0});
    in.extent.add(core::Vec2{10'000, 10'000});
    in.cell_size_m = 250;
    in.offroad_kmh = 25;
    const auto border = test::lines({{{0, 1}, {3000, 4000}, {7000, 6000}, {10'000, 9'999}}});
    in.border = &border;
    const auto pace = analysis::build_pace_grid(in);
    const auto model = analysis::build_travel_model(pace, {}, nb);
    const core::Vec2 s{9000, 500};  // south-east of the line
    const auto surf = analysis::travel_surface(model, std::span<const core::Vec2>(&s, 1));
    int reached_far = 0, reached_near = 0;
    for (int r = 0; r < pace.height; ++r)
      for (int c = 0; c < pace.width; ++c) {
        const auto p = pace.cell_center(c, r);
        // Far side: north-west of the polyline, by a margin of two cells.
        const auto side = [&](core::Vec2 a, core::Vec2 b) {
          return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        };
        const bool far = side({0, 1}, {3000, 4000}) > 600 * 4243 &&
                         side({3000, 4000}, {7000, 6000}) > 600 * 4472 &&
                         side({7000, 6000}, {10'000, 9'999}) > 600 * 4999;
        if (!std::isfinite(surf.seconds.at(c, r))) continue;
        if (far)
          ++reached_far;
        else
          ++reached_near;
      }
    CHECK(reached_far == 0);
    CHECK(reached_near > 100);
  }
}

TEST_CASE("study area: the region grown by the buffer, never across the border", "[travel][grid]") {
  analysis::FrictionInputs in;
  in.cell_size_m = 1000;
  in.outside_buffer_m = 5000;
  const auto region = test::polygons({{{0, 0}, {20'000, 0}, {0, 20'000}}});
  const auto border = test::lines({{{-10'000, 21'500}, {30'000, 21'500}}});  // 1.5 km north of the region
  in.region = &region;
  in.border = &border;
  const auto pace = analysis::build_pace_grid(in);
  auto pace_at = [&](double x, double y) {
    REQUIRE(pace.in_bounds(pace.col_of(x), pace.row_of(y)));
    return pace.at(pace.col_of(x), pace.row_of(y));
  };
  CHECK(std::isfinite(pace_at(5'500, 5'500)));     // inside
  CHECK(std::isfinite(pace_at(-3'500, 10'500)));   // within the buffer to the west
  CHECK(std::isfinite(pace_at(12'500, 12'500)));   // 3.5 km beyond the diagonal edge
  CHECK(!std::isfinite(pace_at(18'500, 18'500)));  // 12 km beyond it
  CHECK(!std::isfinite(pace_at(500, 21'500)));     // the border line itself
  CHECK(!std::isfinite(pace_at(500, 23'500)));     // across the border, though within the buffer
  CHECK(std::isfinite(pace_at(500, 20'500)));      // this side of the border
}

TEST_CASE("water is impassable unless a road crosses it", "[travel][grid]") {
  analysis::FrictionInputs in;
  in.extent.add(core::Vec2{0, 0});
  in.extent.add(core::Vec2{10'000, 10'000});
  in.cell_size_m = 500;
  const auto lake = test::polygons({{{2000, 2000}, {8000, 2000}, {8000, 8000}, {2000, 8000}}});
  in.water = &lake;
  auto pace = analysis::build_pace_grid(in);
  CHECK(!std::isfinite(pace.at(pace.col_of(5000), pace.row_of(5000))));
  const auto road = test::lines({{{0, 5100}, {10'000, 5100}}});
  analysis::RoadInput ri;
  ri.lines = &road;
  ri.road_class = {"县道"};
  const auto net = analysis::build_road_network(ri, {});
  in.roads = &net;
  pace = analysis::build_pace_grid(in);
  CHECK(pace.at(pace.col_of(5000), pace.row_of(5100)) == Approx(1.0 / core::mps(60.0)));  // a bridge
  CHECK(!std::isfinite(pace.at(pace.col_of(5000), pace.row_of(4000))));
}

namespace {

struct RandomWorld {
  core::GridF pace;  // off-road only
  core::Geometries road_lines;
  std::vector<std::string> cls;
};

RandomWorld random_world(std::uint64_t seed, int n, double cell) {
  test::Lcg rng(seed);
  RandomWorld w;
  w.pace = core::GridF(n, n, 0.0, n * cell, cell, 0.0f);
  for (auto& p : w.pace.data) {
    const int k = rng.below(20);
    p = k == 0 ? analysis::IMPASSABLE : static_cast<float>(1.0 / core::mps(rng.uniform(8.0, 30.0)));
  }
  std::vector<std::vector<core::Vec2>> pl;
  const char* classes[] = {"国道", "省道", "县道", "乡道", "gravel", "track"};
  for (int i = 0; i < 6; ++i) {
    std::vector<core::Vec2> line;
    for (int k = 0; k < 4; ++k) line.push_back({rng.uniform(0, n * cell), rng.uniform(0, n * cell)});
    pl.push_back(line);
    w.cls.push_back(classes[rng.below(6)]);
  }
  w.road_lines = test::lines(pl);
  return w;
}

analysis::TravelModel model_with_roads(const RandomWorld& w, const analysis::RoadNetwork& net, int nb) {
  // Roads burned into the off-road grid as build_pace_grid does, plus the network.
  core::GridF pace = w.pace;
  for (core::NodeId u = 0; u < net.nodes.size(); ++u)
    for (auto e = net.graph.offsets[u]; e < net.graph.offsets[u + 1]; ++e) {
      const float p = static_cast<float>(1.0 / core::mps(net.edge_kmh[e]));
      analysis::for_each_cell_on_segment(pace, net.nodes[u], net.nodes[net.graph.targets[e]],
                                         [&](int c, int r) { pace.at(c, r) = std::min(pace.at(c, r), p); });
    }
  return analysis::build_travel_model(pace, net, nb);
}

}  // namespace

TEST_CASE("property: no time below straight-line distance at the top speed", "[travel][grid]") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const auto w = random_world(seed, 60, 300.0);
    analysis::RoadInput ri;
    ri.lines = &w.road_lines;
    ri.road_class = w.cls;
    const auto net = analysis::build_road_network(ri, {});
    for (int nb : {8, 16}) {
      const auto model = model_with_roads(w, net, nb);
      REQUIRE(model.top_mps > 0);
      test::Lcg rng(seed + 100);
      std::vector<core::Vec2> src;
      for (int i = 0; i < 3; ++i) src.push_back({rng.uniform(0, 18'000), rng.uniform(0, 18'000)});
      const auto s = analysis::travel_surface(model, src);
      int checked = 0;
      for (int r = 0; r < 60; ++r)
        for (int c = 0; c < 60; ++c) {
          const float t = s.seconds.at(c, r);
          if (!std::isfinite(t)) continue;
          const int f = s.nearest.at(c, r);
          REQUIRE(f >= 0);
          const double lower =
              test::dist(src[static_cast<std::size_t>(f)], w.pace.cell_center(c, r)) / model.top_mps;
          CHECK(t >= lower - 1e-3);
          ++checked;
        }
      CHECK(checked > 1000);
    }
  }
}

TEST_CASE("property: combined never worse than off-road - adding a road never makes a time longer",
          "[travel][grid]") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const auto w = random_world(seed, 60, 300.0);
    const core::Vec2 src[2] = {{3000, 3000}, {15'000, 9000}};
    const auto offroad = analysis::travel_surface(analysis::build_travel_model(w.pace, {}, 16), src);

    // Roads one by one: every step may only shorten times.
    core::GridF prev = offroad.seconds;
    int improved = 0;
    for (std::size_t k = 1; k <= w.cls.size(); ++k) {
      core::Geometries sub;
      sub.kind = core::GeomKind::Line;
      for (core::FeatureId f = 0; f < k; ++f) {
        sub.add_ring(w.road_lines.ring(w.road_lines.rings_begin(w.road_lines.parts_begin(f))));
        sub.end_part();
        sub.end_feature();
      }
      analysis::RoadInput ri;
      ri.lines = &sub;
      ri.road_class.assign(w.cls.begin(), w.cls.begin() + static_cast<long>(k));
      const auto net = analysis::build_road_network(ri, {});
      const auto s = analysis::travel_surface(model_with_roads(w, net, 16), src);
      for (std::size_t i = 0; i < s.seconds.data.size(); ++i) {
        const float a = s.seconds.data[i], before = prev.data[i], base = offroad.seconds.data[i];
        if (std::isfinite(before)) CHECK(a <= before + 1e-3f);
        if (std::isfinite(base)) CHECK(a <= base + 1e-3f);
        if (a < base - 1.0f) ++improved;
      }
      prev = s.seconds;
    }
    CHECK(improved > 0);
  }
}

TEST_CASE("scenario: a track closed in winter makes the times it carried longer", "[travel][grid]") {
  // A long grassland track from the facility east across a 60 x 20 grid of 500 m cells.
  const auto roads = test::lines({{{250, 5250}, {29'750, 5250}}});
  const std::vector<std::string> cls{"track"};
  const core::Vec2 src{250, 5250};
  auto surface_for = [&](const core::TravelSettings& s) {
    analysis::RoadInput ri;
    ri.lines = &roads;
    ri.road_class = cls;
    const auto net = analysis::build_road_network(ri, analysis::road_options(s));
    analysis::FrictionInputs in;
    in.extent.add(core::Vec2{0, 0});
    in.extent.add(core::Vec2{30'000, 10'000});
    in.cell_size_m = s.cell_size_m;
    in.offroad_kmh = s.offroad_kmh;
    in.roads = &net;
    return analysis::travel_surface(
        analysis::build_travel_model(analysis::build_pace_grid(in), net, s.neighbours),
        std::span<const core::Vec2>(&src, 1));
  };
  core::TravelSettings base;
  base.cell_size_m = 500;
  base.offroad_kmh = 25;
  core::Scenario snow;  // slower off-road, track still open
  snow.name = "snow";
  snow.offroad_kmh = 10.0;
  core::Scenario winter = snow;  // the same, track closed
  winter.name = "winter";
  winter.closed_classes = {"track"};
  const auto open = surface_for(analysis::apply_scenario(base, snow));
  const auto closed = surface_for(analysis::apply_scenario(base, winter));
  const auto summer = surface_for(base);
  int longer = 0;
  for (std::size_t i = 0; i < open.seconds.data.size(); ++i) {
    CHECK(closed.seconds.data[i] >= open.seconds.data[i] - 1e-3f);
    CHECK(open.seconds.data[i] >= summer.seconds.data[i] - 1e-3f);
    if (closed.seconds.data[i] > open.seconds.data[i] + 60.0f) ++longer;
  }
  // The far end of the track: 29.5 km at 30 km/h (59 min) open, at 10 km/h (177 min) closed.
  const int c = open.seconds.col_of(29'500), r = open.seconds.row_of(5250);
  CHECK(open.seconds.at(c, r) == Approx(29'500 / core::mps(30.0)).epsilon(0.01));
  CHECK(closed.seconds.at(c, r) == Approx(29'500 / core::mps(10.0)).epsilon(0.01));
  CHECK(longer > 100);
}

TEST_CASE("land cover: class speeds replace grassland, class 0 km/h is impassable", "[travel][grid]") {
  // A 4 x 2 land-cover raster of 2.5 km cells over a 10 x 5 km area: classes 1 (sand, 5 km/h),
  // 2 (marsh, impassable), 3 (not in the table: grassland speed).
  core::GridF lc(4, 2, 0.0, 5000.0, 2500.0, 0.0f);
  lc.nodata = -9999.0f;
  lc.data = {1, 1, 2, 3, 3, 3, 2, -9999.0f};
  analysis::FrictionInputs in;
  in.extent.add(core::Vec2{0, 0});
  in.extent.add(core::Vec2{10'000, 5000});
  in.cell_size_m = 500;
  in.offroad_kmh = 20;
  in.landcover = &lc;
  in.landcover_kmh = {{1.0, 5.0}, {2.0, 0.0}};
  const auto pace = analysis::build_pace_grid(in);
  auto at = [&](double x, double y) { return pace.at(pace.col_of(x), pace.row_of(y)); };
  CHECK(at(1000, 4000) == Approx(1.0 / core::mps(5.0)));   // sand
  CHECK(!std::isfinite(at(6000, 4000)));                   // marsh
  CHECK(at(9000, 4000) == Approx(1.0 / core::mps(20.0)));  // class 3: grassland
  CHECK(at(9000, 1000) == Approx(1.0 / core::mps(20.0)));  // NoData: grassland
  CHECK(!std::isfinite(at(6000, 1000)));                   // marsh
}
