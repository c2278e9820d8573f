// Geo benchmarks: PROJ transform and GCJ-02 throughput, spatial index build and queries,
// make_valid on self-touching outlines. Prints the median of several runs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>
#include <random>
#include <vector>

#include "geo/crs.hpp"
#include "geo/geos_ops.hpp"
#include "geo/spatial_index.hpp"

using kepumap::core::BBox;
using kepumap::core::FeatureId;
using kepumap::core::Geometries;
using kepumap::core::GeomKind;
using kepumap::core::Vec2;
namespace geo = kepumap::geo;

namespace {

double median_ms(int runs, const std::function<void()>& fn) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    const auto a = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

/// n star-shaped polygons of k vertices over a 100 km square; every other one with an
/// inverted hole (a loop through a vertex, like the shipped county outlines) when `loops`.
Geometries stars(int n, int k, bool loops, std::mt19937& rng) {
  std::uniform_real_distribution<double> pos(0.0, 100'000.0);
  Geometries g;
  g.kind = GeomKind::Polygon;
  for (int i = 0; i < n; ++i) {
    const Vec2 c{pos(rng), pos(rng)};
    std::vector<Vec2> ring;
    for (int j = 0; j < k; ++j) {
      const double a = 2 * std::numbers::pi * j / k;
      const double r = 400 + 50 * std::sin(7 * a);
      ring.push_back({c.x + r * std::cos(a), c.y + r * std::sin(a)});
    }
    if (loops && i % 2) {
      const Vec2 v = ring[0];
      ring.insert(ring.begin() + 1, {{v.x - 100, v.y - 30}, {v.x - 100, v.y + 30}, v});
    }
    ring.push_back(ring.front());
    g.add_ring(ring);
    g.end_part();
    g.end_feature();
  }
  return g;
}

}  // namespace

int main() {
  std::mt19937 rng(1);
  // PROJ: 1 M lon/lat points over Inner Mongolia into the analysis CRS.
  {
    BBox im;
    im.add(Vec2{97.2, 37.4});
    im.add(Vec2{126.1, 53.4});
    std::uniform_real_distribution<double> ux(97.2, 126.1), uy(37.4, 53.4);
    std::vector<Vec2> pts(1'000'000);
    for (Vec2& p : pts) p = {ux(rng), uy(rng)};
    const geo::Transform t("EPSG:4326", geo::analysis_crs_for(im));
    const double ms = median_ms(5, [&] {
      std::vector<Vec2> work = pts;
      t.apply(work);
    });
    std::printf("transform 1M points EPSG:4326 -> Albers: %.1f ms\n", ms);
    const double gcj = median_ms(5, [&] {
      double sink = 0;
      for (const Vec2& p : pts) sink += geo::gcj02_to_wgs84(p).x;
      if (sink == 0) std::printf(" ");
    });
    std::printf("gcj02_to_wgs84 1M points: %.1f ms\n", gcj);
  }
  // Spatial index over 100k polygons of 32 vertices.
  {
    const Geometries g = stars(100'000, 32, false, rng);
    geo::SpatialIndex idx;
    const double build = median_ms(5, [&] { idx = geo::SpatialIndex(g); });
    std::uniform_real_distribution<double> pos(0.0, 100'000.0);
    std::vector<Vec2> q(100'000);
    for (Vec2& p : q) p = {pos(rng), pos(rng)};
    const double nearest = median_ms(5, [&] {
      for (const Vec2& p : q) idx.nearest(p);
    });
    const geo::PolygonLocator loc(g);
    const double locate = median_ms(5, [&] {
      for (const Vec2& p : q) loc.locate(p);
    });
    std::printf(
        "spatial index over 100k polygons: build %.1f ms, 100k nearest %.1f ms, 100k locate %.1f ms\n", build,
        nearest, locate);
  }
  // make_valid on 2000 outlines of 1000 vertices, half with an inverted hole.
  {
    const Geometries g = stars(2000, 1000, true, rng);
    std::size_t repaired = 0;
    const double ms = median_ms(3, [&] {
      geo::RepairReport rep;
      geo::make_valid(g, rep);
      repaired = rep.repaired.size();
    });
    std::printf("make_valid 2000 polygons x 1000 vertices (%zu repaired): %.1f ms\n", repaired, ms);
  }
  return 0;
}
