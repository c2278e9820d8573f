#pragma once
// Template bodies of travel_grid.hpp (grid traversal and polygon fill).
#include <algorithm>
#include <cmath>

#include "core/rasterize.hpp"

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
  for (core::FeatureId f = 0; f < polys.feature_count(); ++f)
    core::for_each_cell_in_feature(g, polys, f, xs, [&](int c, int r) { g.at(c, r) = value; });
}

}  // namespace kepumap::analysis
