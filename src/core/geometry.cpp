#include "core/geometry.hpp"

#include <algorithm>
#include <cmath>

namespace kepumap::core {

BBox Geometries::feature_bbox(FeatureId f) const {
  BBox b;
  for (auto p = parts_begin(f); p < parts_end(f); ++p)
    for (auto r = rings_begin(p); r < rings_end(p); ++r)
      for (const Vec2& c : ring(r)) b.add(c);
  return b;
}

BBox Geometries::bbox() const {
  BBox b;
  for (const Vec2& c : coords) b.add(c);
  return b;
}

double ring_signed_area(std::span<const Vec2> ring) {
  if (ring.size() < 3) return 0.0;
  // Shifted to the first vertex to keep precision with large projected coordinates.
  const Vec2 o = ring[0];
  double twice = 0.0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const double ax = ring[i].x - o.x, ay = ring[i].y - o.y;
    const double bx = ring[i + 1].x - o.x, by = ring[i + 1].y - o.y;
    twice += ax * by - bx * ay;
  }
  return twice / 2.0;
}

double feature_area(const Geometries& g, FeatureId f) {
  if (g.kind != GeomKind::Polygon) return 0.0;
  double a = 0.0;
  for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p)
    for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
      const double ra = std::abs(ring_signed_area(g.ring(r)));
      a += (r == g.rings_begin(p)) ? ra : -ra;
    }
  return a;
}

double feature_length(const Geometries& g, FeatureId f) {
  double len = 0.0;
  for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p)
    for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
      auto pts = g.ring(r);
      for (std::size_t i = 1; i < pts.size(); ++i)
        len += std::hypot(pts[i].x - pts[i - 1].x, pts[i].y - pts[i - 1].y);
    }
  return len;
}

Vec2 feature_centroid(const Geometries& g, FeatureId f) {
  if (g.kind == GeomKind::Polygon) {
    double a = 0.0, cx = 0.0, cy = 0.0;
    Vec2 o{};
    bool have_origin = false;
    for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p)
      for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
        auto ring = g.ring(r);
        if (ring.size() < 3) continue;
        if (!have_origin) {
          o = ring[0];
          have_origin = true;
        }
        const double sign = (r == g.rings_begin(p)) ? 1.0 : -1.0;
        const double orient = ring_signed_area(ring) >= 0 ? 1.0 : -1.0;
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
          const double ax = ring[i].x - o.x, ay = ring[i].y - o.y;
          const double bx = ring[i + 1].x - o.x, by = ring[i + 1].y - o.y;
          const double cr = (ax * by - bx * ay) * sign * orient;
          a += cr;
          cx += (ax + bx) * cr;
          cy += (ay + by) * cr;
        }
      }
    if (std::abs(a) > 0) return {o.x + cx / (3.0 * a), o.y + cy / (3.0 * a)};
  }
  double sx = 0.0, sy = 0.0;
  std::size_t n = 0;
  for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p)
    for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r)
      for (const Vec2& c : g.ring(r)) {
        sx += c.x;
        sy += c.y;
        ++n;
      }
  if (n == 0) return Vec2{};
  const double count = static_cast<double>(n);
  return Vec2{sx / count, sy / count};
}

namespace {

/// Middle of the widest stretch of the line y = `y` inside feature f (even-odd over every ring).
bool widest_inside_middle(const Geometries& g, FeatureId f, double y, Vec2& out) {
  std::vector<double> xs;
  for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p)
    for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
      auto ring = g.ring(r);
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const Vec2 a = ring[i], b = ring[i + 1];
        if ((a.y > y) == (b.y > y)) continue;  // half-open: each vertex counted once
        xs.push_back(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
      }
    }
  std::sort(xs.begin(), xs.end());
  double best = -1.0;
  for (std::size_t i = 0; i + 1 < xs.size(); i += 2)
    if (xs[i + 1] - xs[i] > best) {
      best = xs[i + 1] - xs[i];
      out = {(xs[i] + xs[i + 1]) / 2.0, y};
    }
  return best > 0.0;
}

}  // namespace

Vec2 representative_point(const Geometries& g, FeatureId f) {
  if (g.kind == GeomKind::Point) return g.first_point(f);
  const Vec2 c = feature_centroid(g, f);
  if (g.kind != GeomKind::Polygon || feature_contains(g, f, c)) return c;
  Vec2 out = c;
  if (widest_inside_middle(g, f, c.y, out)) return out;
  const BBox b = g.feature_bbox(f);
  if (widest_inside_middle(g, f, (b.min_y + b.max_y) / 2.0, out)) return out;
  return c;
}

bool feature_contains(const Geometries& g, FeatureId f, Vec2 pt) {
  if (g.kind != GeomKind::Polygon) return false;
  bool inside = false;
  for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p)
    for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
      auto ring = g.ring(r);
      for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const Vec2 a = ring[i], b = ring[j];
        if ((a.y > pt.y) != (b.y > pt.y) && pt.x < (b.x - a.x) * (pt.y - a.y) / (b.y - a.y) + a.x)
          inside = !inside;
      }
    }
  return inside;
}

}  // namespace kepumap::core
