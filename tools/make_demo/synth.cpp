#include "make_demo/synth.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "geo/geos_ops.hpp"

namespace kepumap::make_demo {
using core::Geometries;
using core::Vec2;

std::uint64_t Rng::next() {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }

double dist(Vec2 a, Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

void append_feature(Geometries& dst, const Geometries& src, core::FeatureId f) {
  if (dst.kind == core::GeomKind::None) dst.kind = src.kind;
  for (std::uint32_t p = src.parts_begin(f); p < src.parts_end(f); ++p) {
    for (std::uint32_t r = src.rings_begin(p); r < src.rings_end(p); ++r) dst.add_ring(src.ring(r));
    dst.end_part();
  }
  dst.end_feature();
}

Geometries transformed(const Geometries& g, const geo::Transform& tf, bool inverse) {
  Geometries out = g;
  const bool ok = inverse ? tf.apply_inverse(out.coords) : tf.apply(out.coords);
  if (!ok) throw std::runtime_error("coordinate transform failed");
  return out;
}

Geometries boundary_lines(const Geometries& polys) {
  Geometries out;
  out.kind = core::GeomKind::Line;
  for (std::uint32_t r = 0; r < polys.ring_count(); ++r) {
    out.add_ring(polys.ring(r));
    out.end_part();
  }
  out.end_feature();
  return out;
}

Geometries rect_polygon(const core::BBox& b) {
  Geometries g;
  g.kind = core::GeomKind::Polygon;
  const Vec2 ring[5] = {
      {b.min_x, b.min_y}, {b.max_x, b.min_y}, {b.max_x, b.max_y}, {b.min_x, b.max_y}, {b.min_x, b.min_y}};
  g.add_ring(ring);
  g.end_part();
  g.end_feature();
  return g;
}

double total_area(const Geometries& g) {
  double a = 0;
  for (core::FeatureId f = 0; f < g.feature_count(); ++f) a += core::feature_area(g, f);
  return a;
}

std::vector<Vec2> spread_sites(const Geometries& poly_m, int n, const std::vector<Vec2>& fixed,
                               const std::vector<Vec2>& avoid, double keep_away, Rng& rng, int candidates) {
  const Geometries edge = boundary_lines(poly_m);
  const core::BBox box = poly_m.feature_bbox(0);
  std::vector<Vec2> placed;
  for (int i = 0; i < n; ++i) {
    Vec2 best{};
    double best_score = -1;
    int found = 0;
    for (int attempt = 0; attempt < candidates * 200 && found < candidates; ++attempt) {
      const Vec2 p{rng.uniform(box.min_x, box.max_x), rng.uniform(box.min_y, box.max_y)};
      if (!core::feature_contains(poly_m, 0, p)) continue;
      bool near = false;
      for (const auto& a : avoid) near = near || dist(a, p) < keep_away;
      if (near) continue;
      ++found;
      double score = 0.5 * geo::distance_to(edge, 0, p);
      for (const auto& q : fixed) score = std::min(score, dist(p, q));
      for (const auto& q : placed) score = std::min(score, dist(p, q));
      if (score > best_score) {
        best_score = score;
        best = p;
      }
    }
    if (found == 0) throw std::runtime_error("cannot place a site inside the polygon");
    placed.push_back(best);
  }
  return placed;
}

void relax_sites(const Geometries& poly_m, std::vector<Vec2>& sites, const std::vector<bool>& movable,
                 int iterations) {
  Geometries env;
  env.kind = core::GeomKind::Polygon;
  append_feature(env, poly_m, 0);
  for (int it = 0; it < iterations; ++it) {
    const Geometries cells = geo::voronoi(sites, env);
    for (std::size_t i = 0; i < sites.size(); ++i) {
      const auto f = static_cast<core::FeatureId>(i);
      if (!movable[i] || !cells.has_geometry(f)) continue;
      const Vec2 c = core::feature_centroid(cells, f);
      if (core::feature_contains(poly_m, 0, c)) sites[i] = c;
    }
  }
}

Geometries partition(const std::vector<Vec2>& sites_m, const std::vector<int>& group, int ngroups,
                     const Geometries& parent_ll, const geo::Transform& tf) {
  const Geometries parent_m = transformed(parent_ll, tf);
  core::BBox env = parent_m.bbox();
  for (const auto& s : sites_m) env.add(s);
  env.min_x -= 20000;
  env.min_y -= 20000;
  env.max_x += 20000;
  env.max_y += 20000;
  const Geometries cells_ll = transformed(geo::voronoi(sites_m, rect_polygon(env)), tf, true);
  Geometries merged;
  merged.kind = core::GeomKind::Polygon;
  for (int gi = 0; gi < ngroups; ++gi) {
    Geometries members;
    members.kind = core::GeomKind::Polygon;
    for (std::size_t i = 0; i < sites_m.size(); ++i)
      if (group[i] == gi) append_feature(members, cells_ll, static_cast<core::FeatureId>(i));
    if (members.feature_count() == 0) throw std::runtime_error("partition: a group has no site");
    if (members.feature_count() == 1)
      append_feature(merged, members, 0);
    else
      append_feature(merged, geo::union_all(members), 0);
  }
  return geo::clip(merged, parent_ll);
}

std::vector<std::int64_t> allocate(std::int64_t total, const std::vector<double>& weights) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (!(sum > 0)) throw std::runtime_error("allocate: weights sum to zero");
  std::vector<std::int64_t> out(weights.size());
  std::vector<std::pair<double, std::size_t>> rem;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    out[i] = static_cast<std::int64_t>(std::floor(exact));
    given += out[i];
    rem.emplace_back(exact - static_cast<double>(out[i]), i);
  }
  std::stable_sort(rem.begin(), rem.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total; ++k, ++given) ++out[rem[k % rem.size()].second];
  return out;
}

PopulationGrid spread_population(const Geometries& villages_m, const std::vector<GridUnit>& units,
                                 double cell_m, Rng& rng) {
  const core::BBox box = villages_m.bbox();
  const double ox = std::floor(box.min_x / cell_m) * cell_m;
  const double oy = std::ceil(box.max_y / cell_m) * cell_m;
  const int w = static_cast<int>(std::ceil((box.max_x - ox) / cell_m));
  const int h = static_cast<int>(std::ceil((oy - box.min_y) / cell_m));
  PopulationGrid out;
  out.grid = core::Grid<std::int32_t>(w, h, ox, oy, cell_m, -1);
  out.unit_cells.resize(units.size());
  std::vector<int> owner(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), -1);
  for (std::size_t u = 0; u < units.size(); ++u) {
    const auto fb = villages_m.feature_bbox(units[u].feature);
    const int c0 = std::max(0, out.grid.col_of(fb.min_x)), c1 = std::min(w - 1, out.grid.col_of(fb.max_x));
    const int r0 = std::max(0, out.grid.row_of(fb.max_y)), r1 = std::min(h - 1, out.grid.row_of(fb.min_y));
    for (int r = r0; r <= r1; ++r)
      for (int c = c0; c <= c1; ++c) {
        const std::size_t idx = out.grid.index(c, r);
        if (owner[idx] >= 0) continue;
        if (!core::feature_contains(villages_m, units[u].feature, out.grid.cell_center(c, r))) continue;
        owner[idx] = static_cast<int>(u);
        out.unit_cells[u].push_back(idx);
        out.grid.data[idx] = 0;
      }
    if (out.unit_cells[u].empty())
      throw std::runtime_error("population grid: village feature " + std::to_string(units[u].feature) +
                               " contains no cell centre");
  }
  for (std::size_t u = 0; u < units.size(); ++u) {
    const auto& U = units[u];
    const auto& cells = out.unit_cells[u];
    std::vector<double> wts(cells.size(), 0.0);
    auto centre_of = [&](std::size_t idx) {
      return out.grid.cell_center(static_cast<int>(idx % static_cast<std::size_t>(w)),
                                  static_cast<int>(idx / static_cast<std::size_t>(w)));
    };
    if (U.settlement == Settlement::Urban) {
      for (std::size_t k = 0; k < cells.size(); ++k)
        wts[k] = 0.02 + std::exp(-dist(centre_of(cells[k]), U.town_seat) / 1200.0);
    } else if (U.settlement == Settlement::Farming) {
      for (std::size_t k = 0; k < cells.size(); ++k) {
        const double d = dist(centre_of(cells[k]), U.centre) / 1500.0;
        wts[k] = 0.01 + std::exp(-d * d);
      }
    } else {
      // Dispersed homesteads: about one occupied cell per 8 people, drawn without replacement
      // (Efraimidis-Spirakis keys), likelier near the township seat and the gachaa centre.
      const std::size_t want =
          std::clamp<std::size_t>(static_cast<std::size_t>(U.population / 8), 3, cells.size());
      std::vector<std::pair<double, std::size_t>> keys;
      for (std::size_t k = 0; k < cells.size(); ++k) {
        const Vec2 c = centre_of(cells[k]);
        const double pref =
            0.25 + std::exp(-dist(c, U.town_seat) / 20000.0) + 0.8 * std::exp(-dist(c, U.centre) / 6000.0);
        keys.emplace_back(std::log(std::max(rng.uniform(), 1e-300)) / pref, k);
      }
      std::stable_sort(keys.begin(), keys.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      for (std::size_t j = 0; j < want; ++j) wts[keys[j].second] = rng.uniform(0.5, 1.5);
      // the gachaa centre (office, school) is the biggest settlement
      std::size_t centre_k = 0;
      double best = 1e300;
      for (std::size_t k = 0; k < cells.size(); ++k) {
        const double d = dist(centre_of(cells[k]), U.centre);
        if (d < best) {
          best = d;
          centre_k = k;
        }
      }
      wts[centre_k] += 3.0;
    }
    const auto people = allocate(U.population, wts);
    for (std::size_t k = 0; k < cells.size(); ++k)
      out.grid.data[cells[k]] = static_cast<std::int32_t>(people[k]);
  }
  return out;
}

std::vector<Vec2> road_line(Vec2 a, Vec2 b, double wiggle, double step_m, Rng& rng) {
  const double len = dist(a, b);
  const int n = std::max(2, static_cast<int>(std::ceil(len / step_m)));
  const Vec2 dir{(b.x - a.x) / len, (b.y - a.y) / len};
  const Vec2 nrm{-dir.y, dir.x};
  const double ph1 = rng.uniform(0, 6.283185307179586), ph2 = rng.uniform(0, 6.283185307179586);
  const double k2 = std::floor(rng.uniform(2, 4));
  std::vector<Vec2> pts;
  for (int i = 0; i <= n; ++i) {
    const double t = static_cast<double>(i) / n;
    // meander vanishes at both ends
    const double off =
        wiggle * len * std::sin(3.141592653589793 * t) *
        (0.7 * std::sin(ph1 + 3.141592653589793 * t) + 0.3 * std::sin(ph2 + k2 * 3.141592653589793 * t));
    pts.push_back({a.x + dir.x * len * t + nrm.x * off, a.y + dir.y * len * t + nrm.y * off});
  }
  pts.front() = a;
  pts.back() = b;
  return pts;
}

}  // namespace kepumap::make_demo
