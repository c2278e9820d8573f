#pragma once
// Template bodies of travel_grid.hpp (grid traversal and polygon fill).
#include <algorithm>
#include <cmath>

namespace kepumap::analysis {

template <class T, class F>
void for_each_cell_on_segment(const core::Grid<T>& g, core::Vec2 a, core::Vec2 b, F&& f) {
  // Grid-walk (Amanatides & Woo) in cell units; at an exact corner both side cells are visited
  // so the visited cells form a 4-connected chain.
  const double ax = (a.x - g.origin_x) / g.cell, ay = (g.origin_y - a.y) / g.cell;
  const double bx = (b.x - g.origin_x) / g.cell, by = (g.origin_y - b.y) / g.cell;
  int cx = static_cast<int>(std::floor(ax)), cy = static_cast<int>(std::floor(ay));
  const int ex = static_cast<int>(std::floor(bx)), ey = static_cast<int>(std::floor(by));
  const double dx = bx - ax, dy = by - ay;
  const int sx = dx > 0 ? 1 : (dx < 0 ? -1 : 0), sy = dy > 0 ? 1 : (dy < 0 ? -1 : 0);
  const double inf = std::numeric_limits<double>::infinity();
  double tmx = sx == 0 ? inf : ((sx > 0 ? (cx + 1 - ax) : (ax - cx)) / std::abs(dx));
  double tmy = sy == 0 ? inf : ((sy > 0 ? (cy + 1 - ay) : (ay - cy)) / std::abs(dy));
  const double tdx = sx == 0 ? inf : 1.0 / std::abs(dx), tdy = sy == 0 ? inf : 1.0 / std::abs(dy);
  auto visit = [&](int c, int r) {
    if (g.in_bounds(c, r)) f(c, r);
  };
  visit(cx, cy);
  const int steps = std::abs(ex - cx) + std::abs(ey - cy);
  for (int i = 0; i < steps; ++i) {
    if (std::abs(tmx - tmy) < 1e-12) {
      // Through a corner: visit one side cell, then the diagonal cell.
      visit(cx + sx, cy);
      cx += sx;
      cy += sy;
      tmx += tdx;
      tmy += tdy;
      ++i;
    } else if (tmx < tmy) {
      cx += sx;
      tmx += tdx;
    } else {
      cy += sy;
      tmy += tdy;
    }
    visit(cx, cy);
  }
}

template <class T>
void fill_polygons(core::Grid<T>& g, const core::Geometries& polys, T value) {
  std::vector<double> xs;
  for (core::FeatureId f = 0; f < polys.feature_count(); ++f) {
    const auto box = polys.feature_bbox(f);
    if (box.empty()) continue;
    const int r0 = std::max(0, g.row_of(box.max_y)), r1 = std::min(g.height - 1, g.row_of(box.min_y));
    for (int r = r0; r <= r1; ++r) {
      const double y = g.origin_y - (r + 0.5) * g.cell;
      xs.clear();
      for (auto p = polys.parts_begin(f); p < polys.parts_end(f); ++p)
        for (auto ri = polys.rings_begin(p); ri < polys.rings_end(p); ++ri) {
          const auto ring = polys.ring(ri);
          for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
            const auto p1 = ring[i], p2 = ring[i + 1];
            if ((p1.y > y) != (p2.y > y)) xs.push_back(p1.x + (y - p1.y) * (p2.x - p1.x) / (p2.y - p1.y));
          }
        }
      std::sort(xs.begin(), xs.end());
      for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
        // Cells whose centre x is in [xs[i], xs[i+1]).
        const int c0 = std::max(0, static_cast<int>(std::ceil((xs[i] - g.origin_x) / g.cell - 0.5)));
        const int c1 = std::min(g.width - 1, static_cast<int>(std::ceil((xs[i + 1] - g.origin_x) / g.cell - 0.5)) - 1);
        for (int c = c0; c <= c1; ++c) g.at(c, r) = value;
      }
    }
  }
}

}  // namespace kepumap::analysis
