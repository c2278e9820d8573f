#include "geo/spatial_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <utility>

namespace kepumap::geo {

namespace {

using core::BBox;
using core::FeatureId;
using core::GeomKind;
using core::Vec2;

/// Position along a Hilbert curve filling a 65536 x 65536 grid.
std::uint64_t hilbert_index(std::uint32_t x, std::uint32_t y) {
  constexpr std::uint32_t n = 1u << 16;
  std::uint64_t d = 0;
  for (std::uint32_t s = n / 2; s > 0; s /= 2) {
    const std::uint32_t rx = (x & s) ? 1 : 0;
    const std::uint32_t ry = (y & s) ? 1 : 0;
    d += static_cast<std::uint64_t>(s) * s * ((3 * rx) ^ ry);
    // Rotate the quadrant so the sub-curve is in standard position.
    if (ry == 0) {
      if (rx == 1) {
        x = n - 1 - x;
        y = n - 1 - y;
      }
      std::swap(x, y);
    }
  }
  return d;
}

double box_distance(const BBox& b, Vec2 p) {
  const double dx = std::max({b.min_x - p.x, 0.0, p.x - b.max_x});
  const double dy = std::max({b.min_y - p.y, 0.0, p.y - b.max_y});
  return std::hypot(dx, dy);
}

double segment_distance(Vec2 p, Vec2 a, Vec2 b) {
  const double vx = b.x - a.x, vy = b.y - a.y;
  const double wx = p.x - a.x, wy = p.y - a.y;
  const double len2 = vx * vx + vy * vy;
  double t = len2 > 0 ? (wx * vx + wy * vy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(wx - t * vx, wy - t * vy);
}

}  // namespace

double point_feature_distance(const core::Geometries& g, core::FeatureId f, core::Vec2 p) {
  double best = std::numeric_limits<double>::infinity();
  if (!g.has_geometry(f)) return best;
  if (g.kind == GeomKind::Polygon && core::feature_contains(g, f, p)) return 0.0;
  for (auto part = g.parts_begin(f); part < g.parts_end(f); ++part)
    for (auto r = g.rings_begin(part); r < g.rings_end(part); ++r) {
      const auto pts = g.ring(r);
      if (pts.size() == 1) best = std::min(best, std::hypot(p.x - pts[0].x, p.y - pts[0].y));
      for (std::size_t i = 1; i < pts.size(); ++i)
        best = std::min(best, segment_distance(p, pts[i - 1], pts[i]));
      // Polygon rings are closed; close an open one for the distance too.
      if (g.kind == GeomKind::Polygon && pts.size() > 2 && !(pts.front() == pts.back()))
        best = std::min(best, segment_distance(p, pts.back(), pts.front()));
    }
  return best;
}

SpatialIndex::SpatialIndex(const core::Geometries& g) : m_geom(&g) {
  std::vector<FeatureId> ids;
  std::vector<BBox> boxes(g.feature_count());
  BBox all;
  for (FeatureId f = 0; f < g.feature_count(); ++f) {
    boxes[f] = g.feature_bbox(f);
    if (boxes[f].empty() || !std::isfinite(boxes[f].min_x) || !std::isfinite(boxes[f].max_x) ||
        !std::isfinite(boxes[f].min_y) || !std::isfinite(boxes[f].max_y))
      continue;
    ids.push_back(f);
    all.add(boxes[f]);
  }
  m_leaf_count = ids.size();
  if (ids.empty()) return;

  // Order leaves along a Hilbert curve through their box centres.
  const double sx = all.width() > 0 ? 65535.0 / all.width() : 0.0;
  const double sy = all.height() > 0 ? 65535.0 / all.height() : 0.0;
  std::vector<std::pair<std::uint64_t, FeatureId>> keyed;
  keyed.reserve(ids.size());
  for (FeatureId f : ids) {
    const Vec2 c = boxes[f].center();
    const auto hx = static_cast<std::uint32_t>(std::clamp((c.x - all.min_x) * sx, 0.0, 65535.0));
    const auto hy = static_cast<std::uint32_t>(std::clamp((c.y - all.min_y) * sy, 0.0, 65535.0));
    keyed.emplace_back(hilbert_index(hx, hy), f);
  }
  std::sort(keyed.begin(), keyed.end());

  for (const auto& [key, f] : keyed) {
    m_boxes.push_back(boxes[f]);
    m_items.push_back(f);
  }
  m_level_end.push_back(static_cast<std::uint32_t>(m_boxes.size()));
  std::size_t begin = 0, end = m_boxes.size();
  while (end - begin > 1) {
    for (std::size_t i = begin; i < end; i += m_node_size) {
      BBox b;
      const std::size_t last = std::min(end, i + m_node_size);
      for (std::size_t k = i; k < last; ++k) b.add(m_boxes[k]);
      m_boxes.push_back(b);
      m_items.push_back(static_cast<std::uint32_t>(i));
    }
    begin = end;
    end = m_boxes.size();
    m_level_end.push_back(static_cast<std::uint32_t>(end));
  }
}

std::vector<core::FeatureId> SpatialIndex::query(const core::BBox& box) const {
  std::vector<FeatureId> out;
  if (m_boxes.empty() || box.empty()) return out;
  std::vector<std::uint32_t> stack{static_cast<std::uint32_t>(m_boxes.size() - 1)};
  while (!stack.empty()) {
    const std::uint32_t k = stack.back();
    stack.pop_back();
    if (!m_boxes[k].intersects(box)) continue;
    if (k < m_leaf_count) {
      out.push_back(m_items[k]);
      continue;
    }
    const std::uint32_t first = m_items[k];
    // Children end where their level ends.
    const std::uint32_t level_end = *std::upper_bound(m_level_end.begin(), m_level_end.end(), first);
    const std::uint32_t last = std::min(level_end, first + m_node_size);
    for (std::uint32_t c = first; c < last; ++c) stack.push_back(c);
  }
  std::sort(out.begin(), out.end());
  return out;
}

core::FeatureId SpatialIndex::nearest(core::Vec2 p, double* distance) const {
  FeatureId best_id = core::INVALID_ID;
  double best = std::numeric_limits<double>::infinity();
  if (!m_boxes.empty() && m_geom) {
    using Entry = std::pair<double, std::uint32_t>;  // lower bound of distance, node index
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
    const auto root = static_cast<std::uint32_t>(m_boxes.size() - 1);
    heap.emplace(box_distance(m_boxes[root], p), root);
    while (!heap.empty()) {
      const auto [d, k] = heap.top();
      heap.pop();
      if (d > best) break;  // nothing left can be nearer (equal distances still go on: lowest id wins)
      if (k < m_leaf_count) {
        const FeatureId f = m_items[k];
        const double t = point_feature_distance(*m_geom, f, p);
        if (t < best || (t == best && f < best_id)) {
          best = t;
          best_id = f;
        }
        continue;
      }
      const std::uint32_t first = m_items[k];
      const std::uint32_t level_end = *std::upper_bound(m_level_end.begin(), m_level_end.end(), first);
      const std::uint32_t last = std::min(level_end, first + m_node_size);
      for (std::uint32_t c = first; c < last; ++c) {
        const double cd = box_distance(m_boxes[c], p);
        if (cd <= best) heap.emplace(cd, c);
      }
    }
  }
  if (distance) *distance = best;
  return best_id;
}

PolygonLocator::PolygonLocator(const core::Geometries& polys) : m_geom(&polys), m_index(polys) {}

core::FeatureId PolygonLocator::locate(core::Vec2 p) const {
  BBox b;
  b.add(p);
  for (FeatureId f : m_index.query(b))
    if (core::feature_contains(*m_geom, f, p)) return f;
  return core::INVALID_ID;
}

}  // namespace kepumap::geo
