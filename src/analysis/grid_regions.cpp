#include "analysis/grid_regions.hpp"

#include <array>
#include <cmath>
#include <unordered_map>
#include <vector>

namespace kepumap::analysis {

namespace {

// Directions in map terms (y up): east, north, west, south. In grid-vertex terms (column x to
// the right, row y downward) they step by these offsets.
constexpr int kDx[4] = {1, 0, -1, 0};
constexpr int kDy[4] = {0, -1, 0, 1};

struct Edge {
  int x = 0, y = 0;  // start vertex (grid corners: 0..width, 0..height)
  int dir = 0;
};

// True when p is inside the closed ring (ray casting; p never lies on a cell edge here).
bool inside(std::span<const core::Vec2> ring, core::Vec2 p) {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const core::Vec2 a = ring[i], b = ring[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
  }
  return in;
}

}  // namespace

core::Geometries grid_regions(const core::GridI& labels, int count) {
  core::Geometries out;
  out.kind = core::GeomKind::Polygon;
  const int w = labels.width;
  std::vector<std::vector<std::uint32_t>> cells(count > 0 ? static_cast<std::size_t>(count) : 0);
  for (std::size_t i = 0; i < labels.data.size(); ++i) {
    const std::int32_t v = labels.data[i];
    if (v >= 0 && v < count) cells[static_cast<std::size_t>(v)].push_back(static_cast<std::uint32_t>(i));
  }
  auto label_at = [&](int c, int r) { return labels.in_bounds(c, r) ? labels.at(c, r) : -1; };
  auto to_map = [&](int x, int y) {
    return core::Vec2{labels.origin_x + x * labels.cell, labels.origin_y - y * labels.cell};
  };
  for (int l = 0; l < count; ++l) {
    // Boundary edges with the label's cells on their left.
    std::vector<Edge> edges;
    for (const std::uint32_t i : cells[static_cast<std::size_t>(l)]) {
      const int c = static_cast<int>(i % static_cast<std::uint32_t>(w)),
                r = static_cast<int>(i / static_cast<std::uint32_t>(w));
      if (label_at(c, r + 1) != l) edges.push_back({c, r + 1, 0});
      if (label_at(c + 1, r) != l) edges.push_back({c + 1, r + 1, 1});
      if (label_at(c, r - 1) != l) edges.push_back({c + 1, r, 2});
      if (label_at(c - 1, r) != l) edges.push_back({c, r, 3});
    }
    // Outgoing edges per vertex, one slot per direction.
    std::unordered_map<std::uint64_t, std::array<std::int32_t, 4>> from;
    from.reserve(edges.size());
    auto key = [&](int x, int y) {
      return static_cast<std::uint64_t>(y) * static_cast<std::uint64_t>(w + 1) +
             static_cast<std::uint64_t>(x);
    };
    for (std::size_t e = 0; e < edges.size(); ++e) {
      auto [it, fresh] = from.try_emplace(key(edges[e].x, edges[e].y));
      if (fresh) it->second.fill(-1);
      it->second[static_cast<std::size_t>(edges[e].dir)] = static_cast<std::int32_t>(e);
    }
    // Successor: at the end vertex turn left if possible, else straight, else right. This is a
    // permutation of the edges, so every cycle is one closed ring; turning left keeps cells that
    // touch only at a corner in separate rings.
    std::vector<char> used(edges.size(), 0);
    std::vector<std::vector<core::Vec2>> exteriors, holes;
    std::vector<core::Vec2> hole_probe;
    std::vector<core::Vec2> ring;
    for (std::size_t e0 = 0; e0 < edges.size(); ++e0) {
      if (used[e0]) continue;
      std::vector<std::size_t> seq;
      std::size_t e = e0;
      do {
        used[e] = 1;
        seq.push_back(e);
        const Edge& ed = edges[e];
        const auto& out_here = from.at(key(ed.x + kDx[ed.dir], ed.y + kDy[ed.dir]));
        std::int32_t next = -1;
        for (const int turn : {1, 0, 3}) {
          next = out_here[static_cast<std::size_t>((ed.dir + turn) % 4)];
          if (next >= 0) break;
        }
        e = static_cast<std::size_t>(next);
      } while (e != e0);
      // Vertices where the direction changes.
      ring.clear();
      for (std::size_t k = 0; k < seq.size(); ++k) {
        const Edge& cur = edges[seq[k]];
        const Edge& prev = edges[seq[(k + seq.size() - 1) % seq.size()]];
        if (cur.dir != prev.dir) ring.push_back(to_map(cur.x, cur.y));
      }
      ring.push_back(ring.front());
      if (core::ring_signed_area(ring) > 0) {
        exteriors.push_back(ring);
      } else {
        // The cell on the right of the first edge lies inside the hole.
        const Edge& ed = edges[seq.front()];
        static constexpr int kRx[4] = {0, 0, -1, -1}, kRy[4] = {0, -1, -1, 0};
        const int cx = ed.x + kRx[ed.dir], cy = ed.y + kRy[ed.dir];
        holes.push_back(ring);
        hole_probe.push_back(labels.cell_center(cx, cy));
      }
    }
    std::vector<std::vector<std::size_t>> owned(exteriors.size());
    for (std::size_t k = 0; k < holes.size(); ++k) {
      std::size_t best = exteriors.size();
      double best_area = 0.0;
      for (std::size_t x = 0; x < exteriors.size(); ++x) {
        if (!inside(exteriors[x], hole_probe[k])) continue;
        const double a = core::ring_signed_area(exteriors[x]);
        if (best == exteriors.size() || a < best_area) best = x, best_area = a;
      }
      if (best < exteriors.size()) owned[best].push_back(k);
    }
    for (std::size_t x = 0; x < exteriors.size(); ++x) {
      out.add_ring(exteriors[x]);
      for (const std::size_t k : owned[x]) out.add_ring(holes[k]);
      out.end_part();
    }
    out.end_feature();
  }
  return out;
}

}  // namespace kepumap::analysis
