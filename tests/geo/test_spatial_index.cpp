// Spatial index and polygon locator against brute force on random layers (fixed seeds).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include "geo/geos_ops.hpp"
#include "geo/spatial_index.hpp"

using kepumap::core::BBox;
using kepumap::core::FeatureId;
using kepumap::core::Geometries;
using kepumap::core::GeomKind;
using kepumap::core::INVALID_ID;
using kepumap::core::Vec2;
namespace core = kepumap::core;
namespace geo = kepumap::geo;

namespace {

/// Random star-shaped polygons (some with a hole, some multi-part, some overlapping).
Geometries random_polygons(std::mt19937& rng, int n) {
  std::uniform_real_distribution<double> pos(0.0, 1000.0), rad(2.0, 40.0), unit(0.0, 1.0);
  Geometries g;
  g.kind = GeomKind::Polygon;
  for (int i = 0; i < n; ++i) {
    const int parts = unit(rng) < 0.1 ? 2 : 1;
    if (unit(rng) < 0.03) {  // a feature with no geometry now and then
      g.end_feature();
      continue;
    }
    for (int p = 0; p < parts; ++p) {
      const Vec2 c{pos(rng), pos(rng)};
      const double r = rad(rng);
      const int k = 5 + static_cast<int>(unit(rng) * 10);
      std::vector<Vec2> ring;
      for (int j = 0; j < k; ++j) {
        const double a = 2 * std::numbers::pi * j / k;
        const double rr = r * (0.6 + 0.4 * unit(rng));
        ring.push_back({c.x + rr * std::cos(a), c.y + rr * std::sin(a)});
      }
      ring.push_back(ring.front());
      g.add_ring(ring);
      if (unit(rng) < 0.3) {  // a small clockwise hole around the centre
        const double h = r * 0.3;
        const std::vector<Vec2> hole{{c.x - h, c.y - h},
                                     {c.x - h, c.y + h},
                                     {c.x + h, c.y + h},
                                     {c.x + h, c.y - h},
                                     {c.x - h, c.y - h}};
        g.add_ring(hole);
      }
      g.end_part();
    }
    g.end_feature();
  }
  return g;
}

Geometries random_lines(std::mt19937& rng, int n) {
  std::uniform_real_distribution<double> pos(0.0, 1000.0), step(-30.0, 30.0);
  Geometries g;
  g.kind = GeomKind::Line;
  for (int i = 0; i < n; ++i) {
    std::vector<Vec2> line{{pos(rng), pos(rng)}};
    for (int j = 0; j < 4; ++j) line.push_back({line.back().x + step(rng), line.back().y + step(rng)});
    g.add_ring(line);
    g.end_part();
    g.end_feature();
  }
  return g;
}

Geometries random_points(std::mt19937& rng, int n) {
  std::uniform_real_distribution<double> pos(0.0, 1000.0);
  Geometries g;
  g.kind = GeomKind::Point;
  for (int i = 0; i < n; ++i) g.add_point_feature({pos(rng), pos(rng)});
  return g;
}

void check_against_brute_force(const Geometries& g, std::mt19937& rng) {
  const geo::SpatialIndex index(g);
  std::uniform_real_distribution<double> pos(-100.0, 1100.0), size(0.0, 200.0);
  for (int q = 0; q < 300; ++q) {
    BBox box;
    const Vec2 a{pos(rng), pos(rng)};
    box.add(a);
    box.add(Vec2{a.x + size(rng), a.y + size(rng)});
    std::vector<FeatureId> brute;
    for (FeatureId f = 0; f < g.feature_count(); ++f)
      if (g.has_geometry(f) && g.feature_bbox(f).intersects(box)) brute.push_back(f);
    REQUIRE(index.query(box) == brute);
  }
  for (int q = 0; q < 300; ++q) {
    const Vec2 p{pos(rng), pos(rng)};
    double best = std::numeric_limits<double>::infinity(), best_geos = best;
    FeatureId best_id = INVALID_ID;
    for (FeatureId f = 0; f < g.feature_count(); ++f) {
      if (!g.has_geometry(f)) continue;
      const double d = geo::point_feature_distance(g, f, p);
      if (d < best) {
        best = d;
        best_id = f;
      }
      best_geos = std::min(best_geos, geo::distance_to(g, f, p));  // independent oracle
    }
    double d = -1;
    const FeatureId got = index.nearest(p, &d);
    INFO("query " << p.x << " " << p.y);
    REQUIRE(got == best_id);
    REQUIRE(d == best);
    REQUIRE(d == Approx(best_geos).margin(1e-9));
  }
}

}  // namespace

TEST_CASE("SpatialIndex query and nearest match brute force: polygons", "[geo][index]") {
  std::mt19937 rng(42);
  for (int n : {0, 1, 7, 16, 17, 300, 2000}) {
    INFO("n = " << n);
    check_against_brute_force(random_polygons(rng, n), rng);
  }
}

TEST_CASE("SpatialIndex query and nearest match brute force: lines and points", "[geo][index]") {
  std::mt19937 rng(43);
  check_against_brute_force(random_lines(rng, 500), rng);
  check_against_brute_force(random_points(rng, 1000), rng);
  // All points in one place: the Hilbert keys are all equal.
  Geometries same;
  same.kind = GeomKind::Point;
  for (int i = 0; i < 40; ++i) same.add_point_feature({5, 5});
  const geo::SpatialIndex idx(same);
  double d = -1;
  CHECK(idx.nearest({8, 9}, &d) == 0);
  CHECK(d == Approx(5.0));
  BBox b;
  b.add(Vec2{5, 5});
  CHECK(idx.query(b).size() == 40);
}

TEST_CASE("Empty index", "[geo][index]") {
  const geo::SpatialIndex empty;
  double d = 0;
  CHECK(empty.nearest({0, 0}, &d) == INVALID_ID);
  CHECK(std::isinf(d));
  BBox b;
  b.add(Vec2{0, 0});
  CHECK(empty.query(b).empty());
}

TEST_CASE("PolygonLocator matches brute force", "[geo][index]") {
  std::mt19937 rng(44);
  const Geometries g = random_polygons(rng, 1500);
  const geo::PolygonLocator loc(g);
  std::uniform_real_distribution<double> pos(-50.0, 1050.0);
  int inside = 0;
  for (int q = 0; q < 3000; ++q) {
    const Vec2 p{pos(rng), pos(rng)};
    FeatureId brute = INVALID_ID;
    for (FeatureId f = 0; f < g.feature_count() && brute == INVALID_ID; ++f)
      if (core::feature_contains(g, f, p)) brute = f;
    REQUIRE(loc.locate(p) == brute);
    inside += brute != INVALID_ID;
  }
  CHECK(inside > 300);  // the test really exercises hits, not only misses

  // A point in a hole is in no polygon; the known layout checks it exactly.
  const Geometries donut =
      geo::from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))");
  const geo::PolygonLocator dl(donut);
  CHECK(dl.locate({2, 2}) == 0);
  CHECK(dl.locate({5, 5}) == INVALID_ID);
  CHECK(dl.locate({11, 5}) == INVALID_ID);
}
