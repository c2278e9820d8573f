#include "analysis/travel_grid.hpp"

#include <algorithm>
#include <cmath>

namespace kepumap::analysis {

core::GridF grid_frame(const core::BBox& extent, double cell, float fill) {
  if (extent.empty() || !(cell > 0)) return {};
  const double ox = std::floor(extent.min_x / cell) * cell;
  const double oy = std::ceil(extent.max_y / cell) * cell;
  const int w = std::max(1, static_cast<int>(std::ceil((extent.max_x - ox) / cell)));
  const int h = std::max(1, static_cast<int>(std::ceil((oy - extent.min_y) / cell)));
  return core::GridF(w, h, ox, oy, cell, fill);
}

void mark_water(core::Grid<std::uint8_t>& mask, const core::Geometries* lakes,
                const core::Geometries* rivers) {
  if (lakes) fill_polygons(mask, *lakes, std::uint8_t{1});
  if (!rivers) return;
  for (std::uint32_t ri = 0; ri < rivers->ring_count(); ++ri) {
    const auto ring = rivers->ring(ri);
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
      for_each_cell_on_segment(mask, ring[i], ring[i + 1], [&](int c, int r) { mask.at(c, r) = 1; });
  }
}

core::GridF build_pace_grid(const FrictionInputs& in) {
  core::BBox ext = in.extent;
  if (in.region) {
    const auto rb = in.region->bbox();
    if (!rb.empty()) {
      ext = rb;
      ext.add(core::Vec2{rb.min_x - in.outside_buffer_m, rb.min_y - in.outside_buffer_m});
      ext.add(core::Vec2{rb.max_x + in.outside_buffer_m, rb.max_y + in.outside_buffer_m});
    }
  }
  const float grass = static_cast<float>(1.0 / core::mps(std::max(0.1, in.offroad_kmh)));
  core::GridF pace = grid_frame(ext, in.cell_size_m, grass);
  pace.nodata = IMPASSABLE;
  if (pace.data.empty()) return pace;

  // Land cover: nearest class value at each cell centre.
  if (in.landcover && !in.landcover->data.empty()) {
    const auto& lc = *in.landcover;
    for (int r = 0; r < pace.height; ++r)
      for (int c = 0; c < pace.width; ++c) {
        const auto p = pace.cell_center(c, r);
        const int lcc = lc.col_of(p.x), lcr = lc.row_of(p.y);
        if (!lc.in_bounds(lcc, lcr)) continue;
        const float v = lc.at(lcc, lcr);
        if (v == lc.nodata || !std::isfinite(v)) continue;
        for (const auto& cls : in.landcover_kmh)
          if (cls.value == v) {
            pace.at(c, r) =
                cls.kmh > 0 ? static_cast<float>(1.0 / core::mps(std::max(0.1, cls.kmh))) : IMPASSABLE;
            break;
          }
      }
  }
  if (in.water && !in.ice) fill_polygons(pace, *in.water, IMPASSABLE);
  if (in.rivers && !in.ice) {
    // Rivers: the cells a line touches become impassable; a ford gives its cell and the 8 around
    // it back the pace they had.
    const std::vector<float> before = pace.data;
    const auto& rv = *in.rivers;
    for (std::uint32_t ri = 0; ri < rv.ring_count(); ++ri) {
      const auto ring = rv.ring(ri);
      for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        for_each_cell_on_segment(pace, ring[i], ring[i + 1],
                                 [&](int c, int r) { pace.at(c, r) = IMPASSABLE; });
    }
    for (const core::Vec2 f : in.fords) {
      const int c0 = pace.col_of(f.x), r0 = pace.row_of(f.y);
      for (int r = r0 - 1; r <= r0 + 1; ++r)
        for (int c = c0 - 1; c <= c0 + 1; ++c)
          if (pace.in_bounds(c, r)) pace.at(c, r) = before[pace.index(c, r)];
    }
  }

  // Two-way roads burned in at their speed (one-way roads only exist in the graph).
  if (in.roads) {
    const auto& net = *in.roads;
    for (std::uint32_t u = 0; u < net.nodes.size(); ++u)
      for (auto e = net.graph.offsets[u]; e < net.graph.offsets[u + 1]; ++e) {
        const auto v = net.graph.targets[e];
        if (!net.edge_two_way[e] || v < u) continue;
        const float p = static_cast<float>(1.0 / core::mps(net.edge_kmh[e]));
        for_each_cell_on_segment(pace, net.nodes[u], net.nodes[v], [&](int c, int r) {
          auto& x = pace.at(c, r);
          if (p < x) x = p;
        });
      }
  }

  // The border: every cell a border line touches is impassable.
  std::vector<std::uint8_t> border_cell;
  if (in.border) {
    border_cell.assign(pace.data.size(), 0);
    const auto& b = *in.border;
    for (std::uint32_t ri = 0; ri < b.ring_count(); ++ri) {
      const auto ring = b.ring(ri);
      for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        for_each_cell_on_segment(pace, ring[i], ring[i + 1], [&](int c, int r) {
          pace.at(c, r) = IMPASSABLE;
          border_cell[pace.index(c, r)] = 1;
        });
    }
  }

  // Study area: region cells grown ring by ring, never through a border cell.
  if (in.region && !in.region->coords.empty()) {
    core::Grid<std::uint8_t> inside(pace.width, pace.height, pace.origin_x, pace.origin_y, pace.cell, 0);
    fill_polygons(inside, *in.region, std::uint8_t{1});
    std::vector<std::uint32_t> frontier, next;
    for (std::size_t i = 0; i < inside.data.size(); ++i)
      if (inside.data[i] && (border_cell.empty() || !border_cell[i]))
        frontier.push_back(static_cast<std::uint32_t>(i));
    const int rings = static_cast<int>(std::ceil(in.outside_buffer_m / pace.cell));
    for (int k = 0; k < rings && !frontier.empty(); ++k) {
      next.clear();
      for (auto i : frontier) {
        const int c = static_cast<int>(i % pace.width), r = static_cast<int>(i / pace.width);
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            if (!inside.in_bounds(c + dx, r + dy)) continue;
            const auto j = inside.index(c + dx, r + dy);
            if (inside.data[j] || (!border_cell.empty() && border_cell[j])) continue;
            // A diagonal step may not squeeze between two border cells.
            if (dx != 0 && dy != 0 && !border_cell.empty() && border_cell[inside.index(c + dx, r)] &&
                border_cell[inside.index(c, r + dy)])
              continue;
            inside.data[j] = 1;
            next.push_back(static_cast<std::uint32_t>(j));
          }
      }
      frontier.swap(next);
    }
    for (std::size_t i = 0; i < pace.data.size(); ++i)
      if (!inside.data[i]) pace.data[i] = IMPASSABLE;
  }
  return pace;
}

}  // namespace kepumap::analysis
