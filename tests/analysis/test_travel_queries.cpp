// Queries of the travel engine: k nearest per type, the sparse matrix, the stop matrix with
// paths, and isolines.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "analysis/isolines.hpp"
#include "analysis/travel.hpp"
#include "travel_test_util.hpp"

using namespace kepumap;

namespace {

// A 40 x 40 world of 500 m cells: grass at 20 km/h, a lake, and two roads.
struct World {
  analysis::RoadNetwork net;
  analysis::TravelModel model;
};

World world(int nb = 16) {
  static const auto roads =
      test::lines({{{1000, 1000}, {19'000, 19'000}}, {{1000, 15'000}, {19'000, 15'000}}});
  static const auto lake = test::polygons({{{12'000, 2000}, {17'000, 2000}, {17'000, 7000}, {12'000, 7000}}});
  World w;
  analysis::RoadInput ri;
  ri.lines = &roads;
  ri.road_class = {"国道", "乡道"};
  w.net = analysis::build_road_network(ri, {});
  analysis::FrictionInputs in;
  in.extent.add(core::Vec2{0, 0});
  in.extent.add(core::Vec2{20'000, 20'000});
  in.cell_size_m = 500;
  in.offroad_kmh = 20;
  in.water = &lake;
  in.roads = &w.net;
  w.model = analysis::build_travel_model(analysis::build_pace_grid(in), w.net, nb);
  return w;
}

double single_source_time(const analysis::TravelModel& m, core::Vec2 from, core::Vec2 to) {
  const auto s = analysis::travel_surface(m, std::span<const core::Vec2>(&from, 1));
  return analysis::point_time(m, s, to);
}

std::vector<core::Vec2> random_points(std::uint64_t seed, int n) {
  test::Lcg rng(seed);
  std::vector<core::Vec2> p;
  for (int i = 0; i < n; ++i) p.push_back({rng.uniform(200, 19'800), rng.uniform(200, 19'800)});
  return p;
}

}  // namespace

TEST_CASE("surface: nearest facility per cell is the one with the smallest single-source time",
          "[travel][query]") {
  const auto w = world();
  const auto fac = random_points(3, 5);
  const auto all = analysis::travel_surface(w.model, fac);
  std::vector<analysis::TravelSurface> single;
  for (const auto& f : fac)
    single.push_back(analysis::travel_surface(w.model, std::span<const core::Vec2>(&f, 1)));
  for (std::size_t i = 0; i < all.seconds.data.size(); ++i) {
    float best = std::numeric_limits<float>::infinity();
    for (const auto& s : single) best = std::min(best, s.seconds.data[i]);
    if (!std::isfinite(best)) {
      CHECK(!std::isfinite(all.seconds.data[i]));
      CHECK(all.nearest.data[i] == -1);
      continue;
    }
    CHECK(all.seconds.data[i] == best);
    const auto f = all.nearest.data[i];
    REQUIRE(f >= 0);
    CHECK(single[static_cast<std::size_t>(f)].seconds.data[i] == best);
  }
  // A time limit cuts the surface without changing what is within it.
  const auto cut = analysis::travel_surface(w.model, fac, 1800.0);
  for (std::size_t i = 0; i < all.seconds.data.size(); ++i) {
    if (all.seconds.data[i] <= 1800.0f)
      CHECK(cut.seconds.data[i] == all.seconds.data[i]);
    else
      CHECK(!std::isfinite(cut.seconds.data[i]));
  }
}

TEST_CASE("k nearest facilities per type agree with single-source searches", "[travel][query]") {
  const auto w = world();
  const auto fac = random_points(5, 7);
  const std::vector<int> type{0, 1, 0, 0, 1, 0, 0};
  const auto demand = random_points(9, 25);
  const int k = 3;
  const auto nf = analysis::nearest_facilities(w.model, demand, fac, type, 2, k);
  REQUIRE(nf.facility.size() == demand.size() * 2 * k);
  for (std::size_t i = 0; i < demand.size(); ++i)
    for (int t = 0; t < 2; ++t) {
      // Reference: the times of every facility of this type, sorted.
      std::vector<std::pair<double, int>> ref;
      for (std::size_t f = 0; f < fac.size(); ++f)
        if (type[f] == t)
          ref.emplace_back(single_source_time(w.model, fac[f], demand[i]), static_cast<int>(f));
      std::sort(ref.begin(), ref.end());
      for (int j = 0; j < k; ++j) {
        const std::size_t o = (i * 2 + static_cast<std::size_t>(t)) * k + static_cast<std::size_t>(j);
        if (static_cast<std::size_t>(j) >= ref.size() ||
            !std::isfinite(ref[static_cast<std::size_t>(j)].first)) {
          CHECK(nf.facility[o] == -1);
          CHECK(std::isinf(nf.seconds[o]));
          continue;
        }
        CHECK(nf.seconds[o] == Approx(ref[static_cast<std::size_t>(j)].first).margin(0.01));
        // Ties aside, the same facility.
        if (static_cast<std::size_t>(j) + 1 >= ref.size() ||
            ref[static_cast<std::size_t>(j) + 1].first > ref[static_cast<std::size_t>(j)].first + 0.05)
          CHECK(nf.facility[o] == ref[static_cast<std::size_t>(j)].second);
      }
    }
}

TEST_CASE("sparse matrix: exactly the pairs within the limit, same times as single searches",
          "[travel][query]") {
  const auto w = world();
  const auto demand = random_points(11, 60);
  const auto cand = random_points(12, 15);
  const double limit = 2400.0;
  const auto m1 = analysis::sparse_time_matrix(w.model, demand, cand, limit, 1);
  const auto m2 = analysis::sparse_time_matrix(w.model, demand, cand, limit, 2);
  CHECK(m1.offsets == m2.offsets);
  CHECK(m1.demand == m2.demand);
  CHECK(m1.seconds == m2.seconds);
  // A cancel flag that stays false changes nothing; one already set skips every search.
  std::atomic<bool> go{false}, stop{true};
  const auto m3 = analysis::sparse_time_matrix(w.model, demand, cand, limit, 2, &go);
  CHECK(m3.demand == m1.demand);
  CHECK(m3.seconds == m1.seconds);
  const auto m4 = analysis::sparse_time_matrix(w.model, demand, cand, limit, 1, &stop);
  CHECK(m4.nnz() == 0);
  CHECK(m4.offsets.size() == cand.size() + 1);
  REQUIRE(m1.nnz() > 0);
  REQUIRE(m1.candidates == cand.size());
  REQUIRE(m1.offsets.size() == cand.size() + 1);
  std::size_t inside = 0;
  for (std::uint32_t j = 0; j < cand.size(); ++j) {
    const auto s = analysis::travel_surface(w.model, std::span<const core::Vec2>(&cand[j], 1));
    for (std::uint32_t i = 0; i < demand.size(); ++i) {
      const double t = analysis::point_time(w.model, s, demand[i]);
      const auto got = m1.at(j, i);
      if (t <= limit - 1.0) {
        ++inside;
        REQUIRE(got != core::UNREACHABLE);
        // Whole seconds rounded up (t passed through float, hence the small margin).
        CHECK(got >= t - 0.01);
        CHECK(got < t + 1.0);
      } else if (t > limit + 1.0) {
        CHECK(got == core::UNREACHABLE);
      }
    }
    // Rows are sorted by demand.
    CHECK(std::is_sorted(m1.demand.begin() + m1.offsets[j], m1.demand.begin() + m1.offsets[j + 1]));
  }
  CHECK(inside > 20);
  CHECK(inside < demand.size() * cand.size());
}

TEST_CASE("stop matrix: times match, paths run from stop to stop along the roads", "[travel][query]") {
  const auto w = world();
  const std::vector<core::Vec2> stops{{1200, 1300}, {18'800, 18'600}, {1500, 15'200}, {9000, 9500}};
  const auto sm = analysis::stop_matrix(w.model, stops, true);
  REQUIRE(sm.n == 4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      if (i == j) {
        CHECK(sm.at(i, j) == 0);
        continue;
      }
      const double t =
          single_source_time(w.model, stops[static_cast<std::size_t>(i)], stops[static_cast<std::size_t>(j)]);
      CHECK(sm.at(i, j) >= t - 0.01);
      CHECK(sm.at(i, j) < t + 1.0);
      const auto p = sm.path(i, j);
      REQUIRE(p.size() >= 2);
      CHECK(p.front() == stops[static_cast<std::size_t>(i)]);
      CHECK(p.back() == stops[static_cast<std::size_t>(j)]);
      double len = 0;
      for (std::size_t k = 1; k < p.size(); ++k) len += test::dist(p[k - 1], p[k]);
      // The path is at least the straight line, and not faster than the top speed allows.
      CHECK(len >= test::dist(p.front(), p.back()) - 1e-6);
      CHECK(len / w.model.top_mps <= sm.at(i, j) + 1.0);
    }
  // Stop 0 to stop 1 lies along the diagonal 国道: the path follows it (every point near the line).
  const auto p = sm.path(0, 1);
  int on_road = 0;
  for (const auto& q : p)
    if (std::abs(q.x - q.y) / std::sqrt(2.0) < 400.0) ++on_road;
  CHECK(on_road >= static_cast<int>(p.size()) - 2);
  // 1000 m, 25 km of 国道 at 80 km/h, then to the stop: about 19 minutes, far below off-road.
  CHECK(sm.at(0, 1) < 25 * 60);
  CHECK(sm.at(0, 1) > 24'900 / core::mps(80.0));
}

TEST_CASE("isolines: rings around a point source, lines across a ramp", "[travel][isolines]") {
  // A cone: value = distance from the centre (metres), 1 km cells.
  core::GridF cone(41, 41, 0.0, 41'000.0, 1000.0, 0.0f);
  cone.nodata = std::numeric_limits<float>::quiet_NaN();
  const core::Vec2 c = cone.cell_center(20, 20);
  for (int r = 0; r < 41; ++r)
    for (int q = 0; q < 41; ++q) cone.at(q, r) = static_cast<float>(test::dist(cone.cell_center(q, r), c));
  const double levels[] = {5000.0, 12'000.0};
  const auto iso = analysis::isolines(cone, levels);
  REQUIRE(iso.lines.feature_count() == 2);
  for (core::FeatureId f = 0; f < 2; ++f) {
    REQUIRE(iso.lines.parts_end(f) - iso.lines.parts_begin(f) == 1);  // one closed ring
    const auto ring = iso.lines.ring(iso.lines.rings_begin(iso.lines.parts_begin(f)));
    CHECK(ring.front() == ring.back());
    for (const auto& p : ring) CHECK(std::abs(test::dist(p, c) - levels[f]) < 150.0);
    CHECK(ring.size() > 12);
  }
  // A ramp in x: the 15-minute line is straight and vertical.
  core::GridF ramp(10, 5, 0.0, 5000.0, 1000.0, 0.0f);
  for (int r = 0; r < 5; ++r)
    for (int q = 0; q < 10; ++q) ramp.at(q, r) = static_cast<float>(q * 300.0);
  const auto iso2 = analysis::isolines(ramp, std::span<const double>(analysis::ISOCHRONE_LEVELS_S, 1));
  REQUIRE(iso2.lines.part_count() == 1);
  const auto line = iso2.lines.ring(0);
  CHECK(line.size() == 5);
  for (const auto& p : line) CHECK(p.x == Approx(3500.0));
  // Cells with no value break the lines: a NaN column splits the ramp's line in two.
  ramp.nodata = std::numeric_limits<float>::quiet_NaN();
  for (int q = 0; q < 10; ++q) ramp.at(q, 2) = std::numeric_limits<float>::infinity();
  const auto iso3 = analysis::isolines(ramp, std::span<const double>(analysis::ISOCHRONE_LEVELS_S, 1));
  CHECK(iso3.lines.part_count() == 2);
}

TEST_CASE("wide-bucket search equals the exact one-unit-bucket search at every cell", "[travel][query]") {
  // travel_surface uses buckets as wide as the cheapest grid move (road links and road pieces
  // are cheaper and get corrected within a bucket); nearest_facilities with k = 1 uses exact
  // one-decisecond buckets. Both must give the same time at every cell centre.
  for (int nb : {8, 16}) {
    const auto w = world(nb);
    const auto fac = random_points(21, 4);
    const auto s = analysis::travel_surface(w.model, fac);
    std::vector<core::Vec2> centres;
    for (int r = 0; r < w.model.height; ++r)
      for (int c = 0; c < w.model.width; ++c) centres.push_back(w.model.cell_center(c, r));
    const std::vector<int> type(fac.size(), 0);
    const auto nf = analysis::nearest_facilities(w.model, centres, fac, type, 1, 1);
    REQUIRE(w.model.bucket_width > 1);
    std::size_t i = 0, reached = 0;
    for (int r = 0; r < w.model.height; ++r)
      for (int c = 0; c < w.model.width; ++c, ++i) {
        const float a = s.seconds.at(c, r);
        if (!std::isfinite(w.model.pace_at(c, r))) continue;  // a lake cell: its centre anchors elsewhere
        if (!std::isfinite(a)) {
          CHECK(nf.facility[i] == -1);
          continue;
        }
        ++reached;
        CHECK(nf.seconds[i] == Approx(a).margin(1e-3));
      }
    CHECK(reached > 1000);
  }
}
