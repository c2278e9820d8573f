#pragma once
// Small builders for the travel-engine tests: line layers written inline and ASCII-art grids.
#include <cmath>
#include <string>
#include <vector>

#include "analysis/travel.hpp"
#include "core/geometry.hpp"
#include "core/grid.hpp"

namespace kepumap::test {

/// A line layer: one feature per polyline, metres.
inline core::Geometries lines(const std::vector<std::vector<core::Vec2>>& polylines) {
  core::Geometries g;
  g.kind = core::GeomKind::Line;
  for (const auto& pl : polylines) {
    g.add_ring(pl);
    g.end_part();
    g.end_feature();
  }
  return g;
}

/// A polygon layer of one closed ring per feature, metres.
inline core::Geometries polygons(const std::vector<std::vector<core::Vec2>>& rings) {
  core::Geometries g;
  g.kind = core::GeomKind::Polygon;
  for (auto r : rings) {
    if (!(r.front() == r.back())) r.push_back(r.front());
    g.add_ring(r);
    g.end_part();
    g.end_feature();
  }
  return g;
}

/// A pace grid drawn as ASCII art, row 0 north, origin (0, rows*cell): '.' grass at `kmh`,
/// '~' impassable, a digit d is a cell (d+1) times faster than grass.
inline core::GridF ascii_grid(const std::vector<std::string>& rows, double cell, double kmh) {
  const int h = static_cast<int>(rows.size()), w = static_cast<int>(rows.front().size());
  core::GridF g(w, h, 0.0, h * cell, cell, 0.0f);
  const double grass = 1.0 / core::mps(kmh);
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      const char ch = rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
      float p = static_cast<float>(grass);
      if (ch == '~')
        p = analysis::IMPASSABLE;
      else if (ch >= '1' && ch <= '9')
        p = static_cast<float>(grass / (ch - '0' + 1));
      g.at(c, r) = p;
    }
  return g;
}

/// A uniform pace grid of w x h cells at `kmh`.
inline core::GridF uniform_grid(int w, int h, double cell, double kmh) {
  return core::GridF(w, h, 0.0, h * cell, cell, static_cast<float>(1.0 / core::mps(kmh)));
}

inline double dist(core::Vec2 a, core::Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// Deterministic pseudo-random numbers (tests must not depend on the library's engines).
struct Lcg {
  std::uint64_t s;
  explicit Lcg(std::uint64_t seed) : s(seed * 6364136223846793005ull + 1442695040888963407ull) {}
  std::uint32_t next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(s >> 33);
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * (next() / 2147483648.0); }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint32_t>(n)); }
};

}  // namespace kepumap::test
