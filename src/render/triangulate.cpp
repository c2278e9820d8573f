#include "render/triangulate.hpp"

#include <algorithm>
#include <cmath>

namespace kepumap::render {

using core::Vec2;

namespace {

/// Twice the signed area of triangle (o, a, b): positive when b is left of o->a.
inline double cross(Vec2 o, Vec2 a, Vec2 b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

/// Doubly linked ring of polygon vertices held in flat arrays (indices, not pointers).
struct Ring {
  std::vector<Vec2> p;
  std::vector<std::uint32_t> idx;  // index in the caller's concatenated rings
  std::vector<std::uint32_t> prev, next;
  std::vector<unsigned char> removed;

  std::uint32_t add(Vec2 pt, std::uint32_t global, std::uint32_t last) {
    auto n = static_cast<std::uint32_t>(p.size());
    p.push_back(pt);
    idx.push_back(global);
    removed.push_back(0);
    if (last == UINT32_MAX) {
      prev.push_back(n);
      next.push_back(n);
    } else {
      prev.push_back(last);
      next.push_back(next[last]);
      prev[next[last]] = n;
      next[last] = n;
    }
    return n;
  }
  void unlink(std::uint32_t n) {
    next[prev[n]] = next[n];
    prev[next[n]] = prev[n];
    removed[n] = 1;
  }
  bool is_convex(std::uint32_t n) const { return cross(p[prev[n]], p[n], p[next[n]]) > 0; }
  /// Is the direction from vertex n towards point q inside the polygon near n? (interior left)
  bool locally_inside(std::uint32_t n, Vec2 q) const {
    Vec2 a = p[prev[n]], v = p[n], b = p[next[n]];
    if (cross(a, v, b) >= 0) return cross(v, b, q) >= 0 && cross(v, a, q) <= 0;
    return cross(v, b, q) >= 0 || cross(v, a, q) <= 0;
  }
};

/// Appends one ring (ring `r` of the input, its points from global index `base`) in the
/// requested orientation; returns its first node or UINT32_MAX if it has fewer than 3 points.
std::uint32_t build_ring(Ring& R, std::span<const Vec2> pts, std::uint32_t base, bool want_ccw) {
  std::size_t n = pts.size();
  if (n >= 2 && pts.front() == pts.back()) --n;
  if (n < 3) return UINT32_MAX;
  double a2 = 0;
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) a2 += (pts[j].x - pts[i].x) * (pts[j].y + pts[i].y);
  bool ccw = a2 > 0;  // shoelace via trapezoids: positive sum means counter-clockwise
  std::uint32_t last = UINT32_MAX;
  std::size_t count = 0;
  auto push = [&](std::size_t i) {
    if (last != UINT32_MAX && R.p[last] == pts[i]) return;  // drop repeated points
    last = R.add(pts[i], base + static_cast<std::uint32_t>(i), last);
    ++count;
  };
  if (ccw == want_ccw) {
    for (std::size_t i = 0; i < n; ++i) push(i);
  } else {
    for (std::size_t i = n; i-- > 0;) push(i);
  }
  if (count >= 2 && R.p[last] == R.p[R.next[last]]) {
    std::uint32_t first = R.next[last];
    R.unlink(last);
    last = first;
    --count;
  }
  return count >= 3 ? R.next[last] : UINT32_MAX;
}

/// Joins the hole whose rightmost vertex is `m` to the polygon containing `outer`: a ray from m
/// towards +x finds the first boundary edge; the bridge goes to the visible vertex of that edge
/// or to the reflex vertex inside the search triangle closest in angle to the ray.
void bridge_hole(Ring& R, std::uint32_t outer, std::uint32_t m) {
  Vec2 M = R.p[m];
  double best_x = -INFINITY;
  std::uint32_t best_a = UINT32_MAX, best_b = UINT32_MAX;
  double hit_x = INFINITY;
  std::uint32_t n = outer;
  do {
    std::uint32_t b = R.next[n];
    Vec2 A = R.p[n], B = R.p[b];
    if (A.y <= M.y && B.y >= M.y && A.y != B.y) {  // edges going up: interior on the left
      double x = A.x + (M.y - A.y) * (B.x - A.x) / (B.y - A.y);
      if (x >= M.x && x < hit_x) {
        hit_x = x;
        best_a = n;
        best_b = b;
      }
    }
    n = b;
  } while (n != outer);
  (void)best_x;
  if (best_a == UINT32_MAX) return;  // hole outside the exterior: leave it out
  std::uint32_t P;
  if (R.p[best_a].y == M.y && R.p[best_a].x == hit_x)
    P = best_a;
  else if (R.p[best_b].y == M.y && R.p[best_b].x == hit_x)
    P = best_b;
  else
    P = R.p[best_a].x > R.p[best_b].x ? best_a : best_b;
  Vec2 I{hit_x, M.y};
  Vec2 Pp = R.p[P];
  // Reflex vertices inside triangle (M, I, P) would hide P: take the one nearest the ray in angle.
  if (!(Pp == I)) {
    double best_tan = INFINITY, best_d = INFINITY;
    std::uint32_t cand = P;
    double tx0 = std::min({M.x, I.x, Pp.x}), tx1 = std::max({M.x, I.x, Pp.x});
    double ty0 = std::min({M.y, I.y, Pp.y}), ty1 = std::max({M.y, I.y, Pp.y});
    bool up = Pp.y > M.y;
    n = outer;
    do {
      Vec2 Q = R.p[n];
      if (n != P && Q.x >= tx0 && Q.x <= tx1 && Q.y >= ty0 && Q.y <= ty1 && Q.x > M.x) {
        // inside or on the triangle (M, I, P), whatever its orientation
        double c1 = cross(M, I, Q), c2 = cross(I, Pp, Q), c3 = cross(Pp, M, Q);
        bool inside = up ? (c1 >= 0 && c2 >= 0 && c3 >= 0) : (c1 <= 0 && c2 <= 0 && c3 <= 0);
        if (inside && !R.is_convex(n) && R.locally_inside(n, M)) {
          double t = std::abs(Q.y - M.y) / (Q.x - M.x);
          double d = (Q.x - M.x) * (Q.x - M.x) + (Q.y - M.y) * (Q.y - M.y);
          if (t < best_tan || (t == best_tan && d < best_d)) {
            best_tan = t;
            best_d = d;
            cand = n;
          }
        }
      }
      n = R.next[n];
    } while (n != outer);
    P = cand;
  }
  // Among vertices at the same place (earlier bridges duplicate vertices) take one the bridge
  // leaves into the interior.
  if (!R.locally_inside(P, M)) {
    n = outer;
    do {
      if (n != P && R.p[n] == R.p[P] && R.locally_inside(n, M)) {
        P = n;
        break;
      }
      n = R.next[n];
    } while (n != outer);
  }
  // Splice: ... P -> M -> hole ... -> M' -> P' -> P.next ...
  std::uint32_t P2 = static_cast<std::uint32_t>(R.p.size());
  R.p.push_back(R.p[P]);
  R.idx.push_back(R.idx[P]);
  R.removed.push_back(0);
  R.prev.push_back(0);
  R.next.push_back(0);
  std::uint32_t M2 = static_cast<std::uint32_t>(R.p.size());
  R.p.push_back(R.p[m]);
  R.idx.push_back(R.idx[m]);
  R.removed.push_back(0);
  R.prev.push_back(0);
  R.next.push_back(0);
  std::uint32_t pn = R.next[P], mp = R.prev[m];
  R.next[P] = m;
  R.prev[m] = P;
  R.next[P2] = pn;
  R.prev[pn] = P2;
  R.next[M2] = P2;
  R.prev[P2] = M2;
  R.next[mp] = M2;
  R.prev[M2] = mp;
}

/// Uniform grid over the vertices, so an ear test looks only at vertices near the ear.
struct Grid {
  double x0 = 0, y0 = 0, inv = 1;
  int nx = 1, ny = 1;
  std::vector<std::uint32_t> start, items;
  void build(const Ring& R, std::uint32_t first) {
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    std::size_t count = 0;
    std::uint32_t n = first;
    do {
      minx = std::min(minx, R.p[n].x);
      maxx = std::max(maxx, R.p[n].x);
      miny = std::min(miny, R.p[n].y);
      maxy = std::max(maxy, R.p[n].y);
      ++count;
      n = R.next[n];
    } while (n != first);
    double w = std::max(maxx - minx, 1e-12), h = std::max(maxy - miny, 1e-12);
    double cells = std::max(1.0, static_cast<double>(count) / 2.0);
    double size = std::sqrt(w * h / cells);
    if (!(size > 0)) size = std::max(w, h);
    x0 = minx;
    y0 = miny;
    inv = 1.0 / size;
    nx = std::clamp(static_cast<int>(w * inv) + 1, 1, 4096);
    ny = std::clamp(static_cast<int>(h * inv) + 1, 1, 4096);
    start.assign(static_cast<std::size_t>(nx) * ny + 1, 0);
    n = first;
    do {
      ++start[cell(R.p[n]) + 1];
      n = R.next[n];
    } while (n != first);
    for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    items.assign(count, 0);
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    n = first;
    do {
      items[fill[cell(R.p[n])]++] = n;
      n = R.next[n];
    } while (n != first);
  }
  int cx(double x) const { return std::clamp(static_cast<int>((x - x0) * inv), 0, nx - 1); }
  int cy(double y) const { return std::clamp(static_cast<int>((y - y0) * inv), 0, ny - 1); }
  std::size_t cell(Vec2 q) const { return static_cast<std::size_t>(cy(q.y)) * nx + cx(q.x); }
};

bool is_ear(const Ring& R, const Grid& G, std::uint32_t e) {
  std::uint32_t a = R.prev[e], c = R.next[e];
  Vec2 A = R.p[a], B = R.p[e], C = R.p[c];
  if (cross(A, B, C) <= 0) return false;
  // The diagonal must leave both ends into the polygon (fails at pinches and in zero-area
  // remainders, where no vertex lies inside the triangle but the triangle is outside).
  if (!R.locally_inside(a, C) || !R.locally_inside(c, A)) return false;
  int gx0 = G.cx(std::min({A.x, B.x, C.x})), gx1 = G.cx(std::max({A.x, B.x, C.x}));
  int gy0 = G.cy(std::min({A.y, B.y, C.y})), gy1 = G.cy(std::max({A.y, B.y, C.y}));
  for (int gy = gy0; gy <= gy1; ++gy) {
    for (int gx = gx0; gx <= gx1; ++gx) {
      std::size_t cell = static_cast<std::size_t>(gy) * G.nx + gx;
      for (std::uint32_t k = G.start[cell]; k < G.start[cell + 1]; ++k) {
        std::uint32_t q = G.items[k];
        if (R.removed[q] || q == a || q == e || q == c) continue;
        Vec2 Q = R.p[q];
        if (Q == A || Q == B || Q == C) {
          // Another copy of a corner (a bridge end or a point where rings touch): it blocks the
          // ear when one of its edges leaves that corner into the triangle.
          Vec2 N1 = R.p[R.prev[q]], N2 = R.p[R.next[q]];
          Vec2 X = Q == A ? B : (Q == B ? C : A);  // next corner counter-clockwise
          Vec2 Y = Q == A ? C : (Q == B ? A : B);  // previous corner
          if ((cross(Q, X, N1) > 0 && cross(Q, Y, N1) < 0) || (cross(Q, X, N2) > 0 && cross(Q, Y, N2) < 0))
            return false;
          continue;
        }
        if (cross(A, B, Q) >= 0 && cross(B, C, Q) >= 0 && cross(C, A, Q) >= 0 &&
            cross(R.p[R.prev[q]], Q, R.p[R.next[q]]) <= 0)
          return false;
      }
    }
  }
  return true;
}

void clip_ears(Ring& R, std::uint32_t start, std::vector<std::uint32_t>& out) {
  Grid G;
  G.build(R, start);
  std::size_t remaining = 0;
  std::uint32_t n = start;
  do {
    ++remaining;
    n = R.next[n];
  } while (n != start);
  std::uint32_t ear = start;
  std::uint32_t stop = ear;
  int pass = 0;
  while (remaining > 2) {
    std::uint32_t a = R.prev[ear], c = R.next[ear];
    double cr = cross(R.p[a], R.p[ear], R.p[c]);
    bool clip = false;
    if (cr == 0 && pass >= 1) {
      R.unlink(ear);  // collinear or spike: no area, drop the vertex
      --remaining;
      ear = c;
      stop = c;
      continue;
    }
    if (pass < 2)
      clip = is_ear(R, G, ear);
    else
      clip = cr > 0;  // last resort on invalid input: clip any convex vertex
    if (clip) {
      out.push_back(R.idx[a]);
      out.push_back(R.idx[ear]);
      out.push_back(R.idx[c]);
      R.unlink(ear);
      --remaining;
      ear = R.next[c];
      stop = ear;
      pass = std::min(pass, 1);
      continue;
    }
    ear = c;
    if (ear == stop) {
      if (++pass > 2) {
        // Nothing convex is left (all collinear or inverted): give up on this remainder.
        return;
      }
    }
  }
}

}  // namespace

void triangulate_polygon(std::span<const std::span<const Vec2>> rings, std::vector<std::uint32_t>& out) {
  if (rings.empty()) return;
  Ring R;
  std::uint32_t base = 0;
  std::uint32_t outer = build_ring(R, rings[0], base, true);
  base += static_cast<std::uint32_t>(rings[0].size());
  if (outer == UINT32_MAX) return;
  // Holes, each with its rightmost vertex, bridged in order of decreasing x.
  std::vector<std::pair<double, std::uint32_t>> holes;
  for (std::size_t r = 1; r < rings.size(); ++r) {
    std::uint32_t h = build_ring(R, rings[r], base, false);
    base += static_cast<std::uint32_t>(rings[r].size());
    if (h == UINT32_MAX) continue;
    std::uint32_t right = h, n = h;
    do {
      if (R.p[n].x > R.p[right].x || (R.p[n].x == R.p[right].x && R.p[n].y < R.p[right].y)) right = n;
      n = R.next[n];
    } while (n != h);
    holes.emplace_back(R.p[right].x, right);
  }
  std::sort(holes.begin(), holes.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [x, m] : holes) bridge_hole(R, outer, m);
  clip_ears(R, outer, out);
}

LayerTriangles triangulate_layer(const core::Geometries& g) {
  LayerTriangles t;
  t.feature_first.reserve(g.feature_count() + 1);
  std::vector<std::span<const Vec2>> rings;
  std::vector<std::uint32_t> local;
  for (std::size_t f = 0; f < g.feature_count(); ++f) {
    t.feature_first.push_back(static_cast<std::uint32_t>(t.indices.size()));
    if (g.kind != core::GeomKind::Polygon) continue;
    for (std::uint32_t part = g.parts_begin(static_cast<core::FeatureId>(f));
         part < g.parts_end(static_cast<core::FeatureId>(f)); ++part) {
      rings.clear();
      for (std::uint32_t r = g.rings_begin(part); r < g.rings_end(part); ++r) rings.push_back(g.ring(r));
      if (rings.empty()) continue;
      local.clear();
      triangulate_polygon(rings, local);
      std::uint32_t first = g.ring_coords[g.rings_begin(part)];
      for (std::uint32_t i : local) t.indices.push_back(first + i);
    }
  }
  t.feature_first.push_back(static_cast<std::uint32_t>(t.indices.size()));
  return t;
}

double triangles_area(std::span<const Vec2> pts, std::span<const std::uint32_t> tri) {
  double a = 0;
  for (std::size_t i = 0; i + 2 < tri.size(); i += 3)
    a += std::abs(cross(pts[tri[i]], pts[tri[i + 1]], pts[tri[i + 2]]));
  return a / 2;
}

}  // namespace kepumap::render
