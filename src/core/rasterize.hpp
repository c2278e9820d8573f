#pragma once
// Polygon rasterisation by scanline: the cells of a grid whose centres lie inside a polygon
// feature (even-odd over all its rings, so holes are left out).
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/geometry.hpp"
#include "core/grid.hpp"

namespace kepumap::core {

/// Calls fn(col, row) once for every cell of `g` whose centre is inside polygon feature f.
/// `xs` is scratch space (reused between calls to avoid allocations).
template <class T, class Fn>
void for_each_cell_in_feature(const Grid<T>& g, const Geometries& polys, FeatureId f, std::vector<double>& xs,
                              Fn&& fn) {
  const BBox box = polys.feature_bbox(f);
  if (box.empty()) return;
  const int r0 = std::max(0, g.row_of(box.max_y)), r1 = std::min(g.height - 1, g.row_of(box.min_y));
  for (int r = r0; r <= r1; ++r) {
    const double y = g.origin_y - (r + 0.5) * g.cell;
    xs.clear();
    for (auto p = polys.parts_begin(f); p < polys.parts_end(f); ++p)
      for (auto ri = polys.rings_begin(p); ri < polys.rings_end(p); ++ri) {
        const auto ring = polys.ring(ri);
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
          const Vec2 a = ring[i], b = ring[i + 1];
          if ((a.y > y) != (b.y > y)) xs.push_back(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
        }
      }
    std::sort(xs.begin(), xs.end());
    for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
      // Cells whose centre x lies in [xs[i], xs[i+1]).
      const int c0 = std::max(0, static_cast<int>(std::ceil((xs[i] - g.origin_x) / g.cell - 0.5)));
      const int c1 =
          std::min(g.width - 1, static_cast<int>(std::ceil((xs[i + 1] - g.origin_x) / g.cell - 0.5)) - 1);
      for (int c = c0; c <= c1; ++c) fn(c, r);
    }
  }
}

/// Writes the feature index into every cell whose centre is inside a polygon feature (later
/// features win where polygons overlap); other cells keep their value.
inline void rasterize_feature_ids(Grid<std::int32_t>& g, const Geometries& polys) {
  std::vector<double> xs;
  for (FeatureId f = 0; f < polys.feature_count(); ++f)
    for_each_cell_in_feature(g, polys, f, xs,
                             [&](int c, int r) { g.at(c, r) = static_cast<std::int32_t>(f); });
}

}  // namespace kepumap::core
