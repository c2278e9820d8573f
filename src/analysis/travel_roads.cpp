#include "analysis/travel_roads.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <unordered_map>
#include "core/ascii.hpp"

namespace kepumap::analysis {

namespace {

using core::lower_ascii;
std::string_view trim(std::string_view s) { return core::trim_blanks(s); }

// Union-find over node ids; the root is always the smallest id of its set (deterministic).
struct UnionFind {
  std::vector<std::uint32_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  std::uint32_t find(std::uint32_t a) {
    while (parent[a] != a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (a < b)
      parent[b] = a;
    else
      parent[a] = b;
  }
};

std::uint64_t cell_key(std::int64_t cx, std::int64_t cy) {
  return (static_cast<std::uint64_t>(cx + (1ll << 31)) << 32) ^ static_cast<std::uint64_t>(cy + (1ll << 31));
}

struct Seg {
  std::uint32_t a, b;  // raw node ids
  std::uint32_t part;  // part index (for self-exclusion)
  core::FeatureId feature;
};

struct Split {
  std::uint32_t seg;
  double t;
  std::uint32_t node;
};

// Closest point parameter of p on segment ab, clamped to [0,1].
double project_t(core::Vec2 a, core::Vec2 b, core::Vec2 p) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  if (len2 <= 0) return 0.0;
  return std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0);
}

double dist(core::Vec2 a, core::Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

// One directed road edge with its attributes, before the CSR is built.
struct RoadEdge {
  std::uint32_t from, to;
  Deciseconds w;
  core::FeatureId f;
  float len, kmh;
  std::uint8_t two_way;
};

// Fills net.graph and the parallel edge attributes from `edges` (counting sort by source, input
// order kept within a source), for net.nodes.size() nodes.
void assemble_csr(RoadNetwork& net, const std::vector<RoadEdge>& edges) {
  const std::size_t n = net.nodes.size();
  net.graph.offsets.assign(n + 1, 0);
  for (const auto& e : edges) ++net.graph.offsets[e.from + 1];
  for (std::size_t i = 0; i < n; ++i) net.graph.offsets[i + 1] += net.graph.offsets[i];
  net.graph.targets.resize(edges.size());
  net.graph.weights.resize(edges.size());
  net.edge_feature.resize(edges.size());
  net.edge_length_m.resize(edges.size());
  net.edge_kmh.resize(edges.size());
  net.edge_two_way.resize(edges.size());
  std::vector<std::uint32_t> fill(net.graph.offsets.begin(), net.graph.offsets.end() - 1);
  for (const auto& e : edges) {
    const auto at = fill[e.from]++;
    net.graph.targets[at] = e.to;
    net.graph.weights[at] = e.w;
    net.edge_feature[at] = e.f;
    net.edge_length_m[at] = e.len;
    net.edge_kmh[at] = e.kmh;
    net.edge_two_way[at] = e.two_way;
  }
}

}  // namespace

RoadNetwork build_road_network(const RoadInput& in, const RoadOptions& opt, core::Diagnostics* diag,
                               const std::string& layer_name) {
  RoadNetwork net;
  if (!in.lines) return net;
  const auto& g = *in.lines;
  const std::size_t nf = g.feature_count();
  net.feature_used.assign(nf, 0);
  const double tol = std::max(0.0, opt.snap_tolerance_m);

  // Per-feature speed and whether the feature is used. A class value is resolved once (lines
  // share few distinct values): its canonical class, whether it is a road, whether closed.
  struct Resolved {
    double class_kmh = 0.0;   // table speed (0 = unknown class)
    double forced_kmh = 0.0;  // scenario class speed (0 = none)
    NotRoad not_road = NotRoad::No;
    bool closed = false;
  };
  std::unordered_map<std::string, Resolved> memo;
  auto resolve = [&](const std::string& cls) -> const Resolved& {
    auto it = memo.find(cls);
    if (it != memo.end()) return it->second;
    Resolved r;
    const auto canon = canonical_road_class(cls, opt.speeds);
    for (const auto& c : opt.closed_classes) {
      if (trim(c).empty() || trim(cls).empty()) continue;
      const auto cc = canonical_road_class(c, opt.speeds, false);
      if ((!cc.empty() && cc == canon) || lower_ascii(trim(c)) == lower_ascii(trim(cls))) r.closed = true;
    }
    if (!canon.empty()) {
      for (const auto& row : opt.speeds)
        if (row.name == canon) r.class_kmh = row.kmh;
      for (const auto& [fc, fk] : opt.forced_speeds)
        if (canonical_road_class(fc, opt.speeds, false) == canon) r.forced_kmh = fk;
    } else {
      r.not_road = not_road(cls);
    }
    return memo.emplace(cls, r).first->second;
  };
  std::vector<double> feat_kmh(nf, 0.0);
  std::unordered_map<std::string, std::size_t> unknown_classes, not_roads;
  std::size_t bad_speed = 0, no_class = 0;
  long long first_bad_speed = -1, first_no_class = -1;
  static const std::string empty_class;
  for (std::size_t f = 0; f < nf; ++f) {
    const std::string& cls = f < in.road_class.size() ? in.road_class[f] : empty_class;
    const Resolved& r = resolve(cls);
    if (r.closed || (f < in.closed.size() && in.closed[f])) continue;
    if (r.not_road != NotRoad::No) {
      ++not_roads[lower_ascii(trim(cls))];
      continue;
    }
    // The line's own speed: its speed field when plausible, else its class, else the fallback.
    double kmh = 0.0;
    if (f < in.speed_kmh.size()) {
      const double s = in.speed_kmh[f];
      if (std::isfinite(s) && s >= MIN_PLAUSIBLE_KMH && s <= MAX_PLAUSIBLE_KMH)
        kmh = s;
      else if (std::isfinite(s) && s != 0) {
        ++bad_speed;
        if (first_bad_speed < 0) first_bad_speed = static_cast<long long>(f);
      }
    }
    if (kmh <= 0) kmh = r.class_kmh;
    if (kmh <= 0) kmh = opt.unknown_kmh;
    if (kmh <= 0) {
      if (!trim(cls).empty())
        ++unknown_classes[cls];
      else if (++no_class == 1)
        first_no_class = static_cast<long long>(f);
      continue;
    }
    // A road: a tag rule's speed, else a scenario's class speed, beats its own speed.
    if (f < in.tag_kmh.size() && in.tag_kmh[f] > 0)
      kmh = in.tag_kmh[f];
    else if (r.forced_kmh > 0)
      kmh = r.forced_kmh;
    if (kmh > 0) feat_kmh[f] = kmh;
  }
  if (diag) {
    std::vector<std::pair<std::string, std::size_t>> unk(unknown_classes.begin(), unknown_classes.end());
    std::sort(unk.begin(), unk.end());
    for (const auto& [cls, n] : unk)
      diag->warn({core::Severity::Warning,
                  "",
                  layer_name,
                  -1,
                  "class",
                  0,
                  "未知道路等级 unknown road class \"" + cls + "\" (" + std::to_string(n) +
                      " features): left out; give it a speed in [travel] road_speeds to use it",
                  {}});
    if (no_class)
      diag->warn(
          {core::Severity::Warning,
           "",
           layer_name,
           first_no_class,
           "class",
           0,
           "无道路等级 " + std::to_string(no_class) +
               " features have no road class and no speed: left out; map fields.road_class or fields.speed, "
               "or give [travel] road_speeds a \"*\" speed",
           {}});
    if (!not_roads.empty()) {
      std::vector<std::pair<std::string, std::size_t>> nr(not_roads.begin(), not_roads.end());
      std::sort(nr.begin(), nr.end());
      std::string list;
      std::size_t total = 0;
      for (const auto& [cls, n] : nr) {
        list += (list.empty() ? "" : ", ") + cls + " " + std::to_string(n);
        total += n;
      }
      diag->warn({core::Severity::Warning,
                  "",
                  layer_name,
                  -1,
                  "class",
                  0,
                  "非机动车道或未通车 " + std::to_string(total) +
                      " lines are not roads for vehicles and were left out (" + list + ")",
                  {}});
    }
    if (bad_speed)
      diag->warn({core::Severity::Warning,
                  "",
                  layer_name,
                  first_bad_speed,
                  "speed",
                  0,
                  "速度无效 " + std::to_string(bad_speed) + " features have an implausible speed (outside " +
                      std::to_string(static_cast<int>(MIN_PLAUSIBLE_KMH)) + ".." +
                      std::to_string(static_cast<int>(MAX_PLAUSIBLE_KMH)) + " km/h); class speed used",
                  {}});
  }

  // 1. Raw nodes: every vertex, merged when equal to 1 cm.
  std::vector<core::Vec2> raw;
  std::vector<std::uint32_t> raw_part;  // first part index using the node
  std::vector<std::uint8_t> raw_multi;  // used by more than one part
  std::vector<std::uint8_t> raw_end;    // is a line end
  std::unordered_map<std::uint64_t, std::uint32_t> exact;
  std::vector<Seg> segs;
  std::uint32_t part_no = 0;
  auto node_of = [&](core::Vec2 p, std::uint32_t part) {
    const auto k = cell_key(std::llround(p.x * 100.0), std::llround(p.y * 100.0));
    auto [it, inserted] = exact.try_emplace(k, static_cast<std::uint32_t>(raw.size()));
    if (inserted) {
      raw.push_back(p);
      raw_part.push_back(part);
      raw_multi.push_back(0);
      raw_end.push_back(0);
    } else if (raw_part[it->second] != part) {
      raw_multi[it->second] = 1;
    }
    return it->second;
  };
  for (std::size_t f = 0; f < nf; ++f) {
    if (feat_kmh[f] <= 0) continue;
    for (auto p = g.parts_begin(static_cast<core::FeatureId>(f));
         p < g.parts_end(static_cast<core::FeatureId>(f)); ++p) {
      for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
        const auto pts = g.ring(r);
        std::uint32_t prev = core::INVALID_ID;
        std::uint32_t first = core::INVALID_ID;
        for (const auto& pt : pts) {
          if (!std::isfinite(pt.x) || !std::isfinite(pt.y)) continue;
          const auto n = node_of(pt, part_no);
          if (first == core::INVALID_ID) first = n;
          if (prev != core::INVALID_ID && prev != n)
            segs.push_back({prev, n, part_no, static_cast<core::FeatureId>(f)});
          prev = n;
        }
        if (first != core::INVALID_ID && prev != first) {
          raw_end[first] = 1;
          raw_end[prev] = 1;
        }
        ++part_no;
      }
    }
  }
  UnionFind uf(raw.size());
  std::vector<Split> splits;

  std::vector<std::uint8_t> snapped(raw.size(), 0);
  if (tol > 0 && !raw.empty()) {
    // 2. Line ends snap to the nearest vertex of another line within the tolerance.
    const double h = tol;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> vgrid;
    for (std::uint32_t i = 0; i < raw.size(); ++i)
      vgrid[cell_key(static_cast<std::int64_t>(std::floor(raw[i].x / h)),
                     static_cast<std::int64_t>(std::floor(raw[i].y / h)))]
          .push_back(i);
    for (std::uint32_t i = 0; i < raw.size(); ++i) {
      if (!raw_end[i]) continue;
      const auto cx = static_cast<std::int64_t>(std::floor(raw[i].x / h));
      const auto cy = static_cast<std::int64_t>(std::floor(raw[i].y / h));
      std::uint32_t best = core::INVALID_ID;
      double best_d = tol;
      for (std::int64_t dy = -1; dy <= 1; ++dy)
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
          auto it = vgrid.find(cell_key(cx + dx, cy + dy));
          if (it == vgrid.end()) continue;
          for (auto j : it->second) {
            if (j == i) continue;
            if (raw_part[j] == raw_part[i] && !raw_multi[j] && !raw_multi[i]) continue;
            const double d = dist(raw[i], raw[j]);
            if (d <= best_d && (best == core::INVALID_ID || d < best_d || j < best)) {
              best = j;
              best_d = d;
            }
          }
        }
      if (best != core::INVALID_ID) {
        uf.unite(i, best);
        snapped[i] = snapped[best] = 1;
      }
    }
  }
  if ((tol > 0 || opt.split_at_crossings) && !raw.empty()) {
    // 3. Ends still alone snap onto the nearest segment of another line (a T-junction).
    const double sh = std::max(tol * 4.0, 200.0);
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> sgrid;
    for (std::uint32_t s = 0; s < segs.size(); ++s) {
      const auto a = raw[segs[s].a], b = raw[segs[s].b];
      const auto x0 = static_cast<std::int64_t>(std::floor(std::min(a.x, b.x) / sh));
      const auto x1 = static_cast<std::int64_t>(std::floor(std::max(a.x, b.x) / sh));
      const auto y0 = static_cast<std::int64_t>(std::floor(std::min(a.y, b.y) / sh));
      const auto y1 = static_cast<std::int64_t>(std::floor(std::max(a.y, b.y) / sh));
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > 4096) {
        // A very long segment: walk it instead of filling its box.
        const double len = dist(a, b);
        const int steps = static_cast<int>(std::ceil(len / (sh * 0.5))) + 1;
        std::vector<std::uint64_t> keys;
        for (int k = 0; k <= steps; ++k) {
          const double t = static_cast<double>(k) / steps;
          const auto cx = static_cast<std::int64_t>(std::floor((a.x + (b.x - a.x) * t) / sh));
          const auto cy = static_cast<std::int64_t>(std::floor((a.y + (b.y - a.y) * t) / sh));
          for (std::int64_t dy = -1; dy <= 1; ++dy)
            for (std::int64_t dx = -1; dx <= 1; ++dx) keys.push_back(cell_key(cx + dx, cy + dy));
        }
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        for (auto k : keys) sgrid[k].push_back(s);
      } else {
        for (auto y = y0; y <= y1; ++y)
          for (auto x = x0; x <= x1; ++x) sgrid[cell_key(x, y)].push_back(s);
      }
    }
    for (std::uint32_t i = 0; i < raw.size() && tol > 0; ++i) {
      if (!raw_end[i] || snapped[i] || raw_multi[i]) continue;
      const auto cx = static_cast<std::int64_t>(std::floor(raw[i].x / sh));
      const auto cy = static_cast<std::int64_t>(std::floor(raw[i].y / sh));
      std::uint32_t best = core::INVALID_ID;
      double best_d = tol, best_t = 0;
      for (std::int64_t dy = -1; dy <= 1; ++dy)
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
          auto it = sgrid.find(cell_key(cx + dx, cy + dy));
          if (it == sgrid.end()) continue;
          for (auto s : it->second) {
            if (segs[s].part == raw_part[i] || segs[s].a == i || segs[s].b == i) continue;
            const double t = project_t(raw[segs[s].a], raw[segs[s].b], raw[i]);
            if (t <= 0.0 || t >= 1.0) continue;  // ends were handled as vertices
            const core::Vec2 q{raw[segs[s].a].x + (raw[segs[s].b].x - raw[segs[s].a].x) * t,
                               raw[segs[s].a].y + (raw[segs[s].b].y - raw[segs[s].a].y) * t};
            const double d = dist(q, raw[i]);
            if (d <= best_d && (best == core::INVALID_ID || d < best_d || s < best)) {
              best = s;
              best_d = d;
              best_t = t;
            }
          }
        }
      if (best != core::INVALID_ID) splits.push_back({best, best_t, i});
    }
    // 4. Optionally node proper crossings of two segments.
    if (opt.split_at_crossings) {
      for (const auto& [key, list] : sgrid) {
        for (std::size_t u = 0; u < list.size(); ++u)
          for (std::size_t w = u + 1; w < list.size(); ++w) {
            const auto& s1 = segs[list[u]];
            const auto& s2 = segs[list[w]];
            if (s1.a == s2.a || s1.a == s2.b || s1.b == s2.a || s1.b == s2.b) continue;
            const core::Vec2 p = raw[s1.a];
            const core::Vec2 r{raw[s1.b].x - p.x, raw[s1.b].y - p.y};
            const core::Vec2 q = raw[s2.a];
            const core::Vec2 sv{raw[s2.b].x - q.x, raw[s2.b].y - q.y};
            const double den = r.x * sv.y - r.y * sv.x;
            if (std::abs(den) < 1e-12) continue;
            const double t = ((q.x - p.x) * sv.y - (q.y - p.y) * sv.x) / den;
            const double v = ((q.x - p.x) * r.y - (q.y - p.y) * r.x) / den;
            if (t <= 1e-9 || t >= 1 - 1e-9 || v <= 1e-9 || v >= 1 - 1e-9) continue;
            const core::Vec2 x{p.x + r.x * t, p.y + r.y * t};
            // Count each crossing once: in the hash cell that contains it.
            if (cell_key(static_cast<std::int64_t>(std::floor(x.x / sh)),
                         static_cast<std::int64_t>(std::floor(x.y / sh))) != key)
              continue;
            const auto n = static_cast<std::uint32_t>(raw.size());
            raw.push_back(x);
            raw_part.push_back(core::INVALID_ID);
            raw_multi.push_back(1);
            raw_end.push_back(0);
            uf.parent.push_back(n);
            splits.push_back({list[u], t, n});
            splits.push_back({list[w], v, n});
          }
      }
    }
  }

  // 5. Final node ids: union-find roots, compacted in first-seen order.
  std::vector<std::uint32_t> final_id(raw.size(), core::INVALID_ID);
  for (std::uint32_t i = 0; i < raw.size(); ++i) {
    const auto r = uf.find(i);
    if (final_id[r] == core::INVALID_ID) {
      final_id[r] = static_cast<std::uint32_t>(net.nodes.size());
      net.nodes.push_back(raw[r]);
    }
    final_id[i] = final_id[r];
  }

  // 6. Edges: every segment, broken at its split points.
  std::sort(splits.begin(), splits.end(),
            [](const Split& a, const Split& b) { return a.seg != b.seg ? a.seg < b.seg : a.t < b.t; });
  std::vector<RoadEdge> edges;
  std::size_t si = 0;
  auto add_piece = [&](std::uint32_t a, std::uint32_t b, core::FeatureId f) {
    a = final_id[a];
    b = final_id[b];
    if (a == b) return;
    const double len = dist(net.nodes[a], net.nodes[b]);
    const double kmh = feat_kmh[f];
    const double secs = len / core::mps(kmh);
    const auto w = static_cast<Deciseconds>(std::max(1.0, std::ceil(secs * DS_PER_S)));
    const OneWay ow = f < in.oneway.size() ? in.oneway[f] : OneWay::Both;
    const std::uint8_t tw = ow == OneWay::Both ? 1 : 0;
    if (ow != OneWay::Backward)
      edges.push_back({a, b, w, f, static_cast<float>(len), static_cast<float>(kmh), tw});
    if (ow != OneWay::Forward)
      edges.push_back({b, a, w, f, static_cast<float>(len), static_cast<float>(kmh), tw});
    net.feature_used[f] = 1;
    net.top_kmh = std::max(net.top_kmh, kmh);
  };
  for (std::uint32_t s = 0; s < segs.size(); ++s) {
    std::uint32_t prev = segs[s].a;
    while (si < splits.size() && splits[si].seg < s) ++si;
    while (si < splits.size() && splits[si].seg == s) {
      add_piece(prev, splits[si].node, segs[s].feature);
      prev = splits[si].node;
      ++si;
    }
    add_piece(prev, segs[s].b, segs[s].feature);
  }

  // 7. CSR with parallel edge attributes.
  assemble_csr(net, edges);
  const std::size_t n = net.nodes.size();

  // 8. Weakly connected components, largest first.
  UnionFind cc(n);
  for (const auto& e : edges) cc.unite(e.from, e.to);
  std::vector<std::uint32_t> size(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) ++size[cc.find(i)];
  std::vector<std::uint32_t> roots;
  for (std::uint32_t i = 0; i < n; ++i)
    if (cc.find(i) == i) roots.push_back(i);
  std::stable_sort(roots.begin(), roots.end(), [&](auto a, auto b) { return size[a] > size[b]; });
  std::vector<std::int32_t> comp_of_root(n, -1);
  for (std::size_t c = 0; c < roots.size(); ++c) {
    comp_of_root[roots[c]] = static_cast<std::int32_t>(c);
    net.component_nodes.push_back(size[roots[c]]);
  }
  net.node_component.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) net.node_component[i] = comp_of_root[cc.find(i)];

  if (diag && net.component_count() > 1) {
    // Name up to 10 features lying on pieces apart from the main network.
    std::vector<std::uint8_t> listed(nf, 0);
    std::string feats;
    std::size_t count = 0;
    long long first = -1;
    for (const auto& e : edges) {
      if (net.node_component[e.from] == 0 || listed[e.f]) continue;
      listed[e.f] = 1;
      if (first < 0) first = e.f;
      if (count < 10) feats += (count ? ", " : "") + std::to_string(e.f);
      ++count;
    }
    diag->warn({core::Severity::Warning,
                "",
                layer_name,
                first,
                "",
                0,
                "路网不连通 " + std::to_string(net.component_count() - 1) +
                    " road pieces are not connected to the main network (" +
                    std::to_string(n - net.component_nodes[0]) + " nodes; features " + feats +
                    (count > 10 ? ", ..." : "") + ")",
                {}});
  }
  return net;
}

core::TravelSettings apply_scenario(const core::TravelSettings& base, const core::Scenario& s) {
  core::TravelSettings r = base;
  if (s.offroad_kmh) r.offroad_kmh = *s.offroad_kmh;
  if (s.ice) r.ice = *s.ice;
  for (const auto& o : s.road_speeds) {
    r.road_speeds.push_back(o);
    r.forced_road_speeds.push_back(o);
  }
  for (const auto& c : s.closed_classes) r.closed_classes.push_back(c);
  for (const auto& c : s.closed_tags) r.closed_tags.push_back(c);
  for (const auto& c : s.open_tags) r.open_tags.push_back(c);
  for (const auto& [rule, kmh] : s.tag_speeds) {
    auto it = std::find_if(r.tag_speeds.begin(), r.tag_speeds.end(),
                           [&](const auto& e) { return e.first == rule; });
    if (it != r.tag_speeds.end())
      it->second = kmh;
    else
      r.tag_speeds.emplace_back(rule, kmh);
  }
  for (const auto& [cls, kmh] : s.landcover_speeds) {
    auto it = std::find_if(r.landcover_speeds.begin(), r.landcover_speeds.end(),
                           [&](const auto& e) { return e.first == cls; });
    if (it != r.landcover_speeds.end())
      it->second = kmh;
    else
      r.landcover_speeds.emplace_back(cls, kmh);
  }
  return r;
}

RoadOptions road_options(const core::TravelSettings& s) {
  RoadOptions o;
  o.snap_tolerance_m = s.snap_tolerance_m;
  o.split_at_crossings = s.split_at_crossings;
  o.speeds = road_speed_table(s.road_speeds);
  o.closed_classes = s.closed_classes;
  o.forced_speeds = s.forced_road_speeds;
  o.unknown_kmh = fallback_kmh(s.road_speeds);
  return o;
}

RoadNetwork densify(const RoadNetwork& net, double max_len_m) {
  RoadNetwork out;
  out.nodes = net.nodes;
  out.node_component = net.node_component;
  out.component_nodes = net.component_nodes;
  out.feature_used = net.feature_used;
  out.top_kmh = net.top_kmh;
  const std::size_t n0 = net.nodes.size();
  std::vector<RoadEdge> edges;
  edges.reserve(net.graph.edge_count());
  // A two-way road gives two directed edges; both must use the same intermediate nodes, so
  // the pieces of the pair (u,v)/(v,u) are created once, by the direction with u < v.
  std::unordered_map<std::uint64_t, std::uint32_t> made;  // (from,to,feature) key -> first new node
  for (std::uint32_t u = 0; u < n0; ++u) {
    for (auto e = net.graph.offsets[u]; e < net.graph.offsets[u + 1]; ++e) {
      const auto v = net.graph.targets[e];
      const double len = net.edge_length_m[e];
      const int pieces = max_len_m > 0 ? std::max(1, static_cast<int>(std::ceil(len / max_len_m))) : 1;
      const double kmh = net.edge_kmh[e];
      const auto f = net.edge_feature[e];
      if (pieces == 1) {
        edges.push_back({u, v, net.graph.weights[e], f, static_cast<float>(len), static_cast<float>(kmh),
                         net.edge_two_way[e]});
        continue;
      }
      const auto lo = std::min(u, v), hi = std::max(u, v);
      const std::uint64_t key = (static_cast<std::uint64_t>(lo) << 32 | hi) * 1000003ull + f;
      std::uint32_t first;
      auto it = made.find(key);
      const bool reuse = net.edge_two_way[e] && it != made.end();
      if (reuse) {
        first = it->second;
      } else {
        first = static_cast<std::uint32_t>(out.nodes.size());
        const auto a = net.nodes[lo], b = net.nodes[hi];
        for (int k = 1; k < pieces; ++k) {
          const double t = static_cast<double>(k) / pieces;
          out.nodes.push_back({a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t});
          out.node_component.push_back(net.node_component.empty() ? 0 : net.node_component[u]);
        }
        if (net.edge_two_way[e]) made.emplace(key, first);
      }
      // Chain lo -> first .. first+pieces-2 -> hi, walked in this edge's direction.
      std::vector<std::uint32_t> chain;
      chain.push_back(lo);
      for (int k = 0; k < pieces - 1; ++k) chain.push_back(first + static_cast<std::uint32_t>(k));
      chain.push_back(hi);
      if (u != lo) std::reverse(chain.begin(), chain.end());
      const double plen = len / pieces;
      const auto w = static_cast<Deciseconds>(std::max(1.0, std::ceil(plen / core::mps(kmh) * DS_PER_S)));
      for (std::size_t k = 0; k + 1 < chain.size(); ++k)
        edges.push_back({chain[k], chain[k + 1], w, f, static_cast<float>(plen), static_cast<float>(kmh),
                         net.edge_two_way[e]});
    }
  }
  assemble_csr(out, edges);
  return out;
}

std::vector<Deciseconds> road_one_to_all(const RoadNetwork& net, core::NodeId source) {
  std::vector<Deciseconds> d(net.nodes.size(), UNREACHED_DS);
  if (source >= net.nodes.size()) return d;
  using Item = std::pair<Deciseconds, core::NodeId>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
  d[source] = 0;
  q.push({0, source});
  while (!q.empty()) {
    const auto [du, u] = q.top();
    q.pop();
    if (du != d[u]) continue;
    const auto nb = net.graph.neighbours(u);
    const auto ws = net.graph.edge_weights(u);
    for (std::size_t i = 0; i < nb.size(); ++i) {
      const Deciseconds nd = du + ws[i];
      if (nd < d[nb[i]]) {
        d[nb[i]] = nd;
        q.push({nd, nb[i]});
      }
    }
  }
  return d;
}

}  // namespace kepumap::analysis
