#include "analysis/travel.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <thread>

namespace kepumap::analysis {

namespace {

constexpr float INF_F = std::numeric_limits<float>::infinity();

// One grid move: offset in the padded grid, the two cells a knight move passes through, and
// the factor turning the sum of paces into deciseconds (length share per cell x 10).
struct Move {
  std::int64_t off = 0;
  std::int64_t m1 = 0, m2 = 0;
  float f = 0.0f;
};
struct MoveTable {
  Move mv[16];
};

MoveTable move_table(const TravelModel& m) {
  MoveTable t;
  const std::int64_t w = m.pw;
  const double c = m.cell;
  const int d8[8][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
  for (int k = 0; k < 8; ++k) {
    const int dx = d8[k][0], dy = d8[k][1];
    t.mv[k].off = dy * w + dx;
    t.mv[k].f = static_cast<float>(c * std::hypot(dx, dy) * 0.5 * DS_PER_S);
  }
  const int kn[8][2] = {{2, 1}, {2, -1}, {-2, 1}, {-2, -1}, {1, 2}, {-1, 2}, {1, -2}, {-1, -2}};
  for (int k = 0; k < 8; ++k) {
    const int dx = kn[k][0], dy = kn[k][1];
    auto& mv = t.mv[8 + k];
    mv.off = dy * w + dx;
    if (std::abs(dx) == 2) {
      mv.m1 = dx / 2;
      mv.m2 = dy * w + dx / 2;
    } else {
      mv.m1 = (dy / 2) * w;
      mv.m2 = (dy / 2) * w + dx;
    }
    mv.f = static_cast<float>(c * std::sqrt(5.0) * 0.25 * DS_PER_S);
  }
  return t;
}

inline Deciseconds ceil_ds(float c) {
  auto w = static_cast<Deciseconds>(c);
  w += static_cast<Deciseconds>(c > static_cast<float>(w));
  return w;
}

// Calls f(v, w) for every edge out of node u of the search graph, except knight moves to
// cells for which skip(v) is true (checked before the four-cell cost is computed; measured
// faster for knight moves only, the branch costs more than it saves on the 8 near moves).
template <int NB, class F, class Skip>
inline void expand(const TravelModel& m, const MoveTable& mt, std::uint32_t u, F&& f, Skip&& skip) {
  const std::size_t cells = m.cell_nodes();
  if (u < cells) {
    const float* p = m.pace.data();
    const float pu = p[u];
    for (int k = 0; k < 8; ++k) {
      const auto v = static_cast<std::uint32_t>(static_cast<std::int64_t>(u) + mt.mv[k].off);
      const float s = pu + p[v];
      if (!(s < INF_F)) continue;
      f(v, ceil_ds(mt.mv[k].f * s));
    }
    if constexpr (NB == 16) {
      for (int k = 8; k < 16; ++k) {
        const auto& mv = mt.mv[k];
        const auto v = static_cast<std::uint32_t>(static_cast<std::int64_t>(u) + mv.off);
        if (skip(v)) continue;
        const float s = pu + p[v] + p[static_cast<std::int64_t>(u) + mv.m1] + p[static_cast<std::int64_t>(u) + mv.m2];
        if (!(s < INF_F)) continue;
        f(v, ceil_ds(mv.f * s));
      }
    }
    if (m.has_link(static_cast<std::uint32_t>(u))) {
      auto it = std::lower_bound(m.link_cell.begin(), m.link_cell.end(), u);
      for (auto i = static_cast<std::size_t>(it - m.link_cell.begin()); i < m.link_cell.size() && m.link_cell[i] == u; ++i)
        f(static_cast<std::uint32_t>(cells + m.link_node[i]), m.link_w[i]);
    }
  } else {
    const auto r = static_cast<std::uint32_t>(u - cells);
    const auto& g = m.roads.graph;
    for (auto e = g.offsets[r]; e < g.offsets[r + 1]; ++e) f(static_cast<std::uint32_t>(cells + g.targets[e]), g.weights[e]);
    const auto l = m.node_link[r];
    if (l != core::INVALID_ID) f(m.link_cell[l], m.link_w[l]);
  }
}

std::uint32_t next_pow2(std::uint64_t x) {
  std::uint64_t b = 1;
  while (b < x) b <<= 1;
  return static_cast<std::uint32_t>(b);
}

void prepare(const TravelModel& m, SearchWorkspace& ws, bool track_pred) {
  const std::size_t n = m.node_count();
  if (ws.lab.size() != n) {
    ws.lab.assign(n, NodeLabel{});
    ws.pred.clear();
    ws.touched.clear();
    ws.all_dirty = false;
  } else if (ws.all_dirty) {
    std::fill(ws.lab.begin(), ws.lab.end(), NodeLabel{});
    if (!ws.pred.empty()) std::fill(ws.pred.begin(), ws.pred.end(), core::INVALID_ID);
    ws.touched.clear();
    ws.all_dirty = false;
  } else {
    for (auto v : ws.touched) {
      ws.lab[v] = NodeLabel{};
      if (!ws.pred.empty()) ws.pred[v] = core::INVALID_ID;
    }
    ws.touched.clear();
  }
  if (track_pred && ws.pred.size() != n) ws.pred.assign(n, core::INVALID_ID);
}

template <int NB>
void search_impl(const TravelModel& m, SearchWorkspace& ws, std::span<const Seed> seeds, const SearchOptions& opt,
                 std::span<const std::uint32_t> stop_when_settled) {
  // Bucket queue with buckets `delta` deciseconds wide (a power of two, so a bucket index is a
  // shift; Dial's algorithm when delta = 1), drained as in Delta-stepping: a node improved by
  // an edge cheaper than the bucket goes back into the current bucket and is processed again,
  // so when a bucket is empty every cost below its end is final — exact, whatever delta is.
  // Entries carry their key; stale ones are skipped.
  const MoveTable mt = move_table(m);
  Deciseconds lo = UNREACHED_DS, hi = 0;
  for (const auto& s : seeds) {
    lo = std::min(lo, s.cost);
    hi = std::max(hi, s.cost);
  }
  if (seeds.empty()) return;
  int shift = 0;
  while ((Deciseconds{2} << shift) <= m.bucket_width && shift < 30) ++shift;
  const Deciseconds delta = Deciseconds{1} << shift;
  const std::uint32_t nb = next_pow2(static_cast<std::uint64_t>(std::max(m.max_edge, hi - lo)) / delta + 3);
  if (ws.buckets.size() < nb) ws.buckets.resize(nb);
  const std::uint32_t bmask = static_cast<std::uint32_t>(ws.buckets.size()) - 1;
  const std::size_t touch_cap = m.node_count() / 8 + 1024;
  NodeLabel* lab = ws.lab.data();
  std::uint32_t* pred = opt.track_pred ? ws.pred.data() : nullptr;
  std::size_t pending = 0;
  auto touch = [&](std::uint32_t v) {
    if (ws.all_dirty) return;
    if (ws.touched.size() >= touch_cap) {
      ws.all_dirty = true;
      ws.touched.clear();
      return;
    }
    ws.touched.push_back(v);
  };
  for (const auto& s : seeds) {
    if (s.cost >= lab[s.node].dist) continue;
    if (lab[s.node].dist == UNREACHED_DS) touch(s.node);
    lab[s.node] = {s.cost, s.label};
    if (pred) pred[s.node] = core::INVALID_ID;
    ws.buckets[(s.cost >> shift) & bmask].push_back({s.node, s.cost});
    ++pending;
  }
  std::vector<std::uint8_t> target_seen(stop_when_settled.size(), 0);
  std::size_t remaining_targets = stop_when_settled.size();
  std::uint64_t k = lo >> shift;  // current bucket
  while (pending > 0) {
    if (k * delta > opt.limit) break;
    auto& bk = ws.buckets[k & bmask];
    if (bk.size() >= 2048) {
      // A big bucket is a band of the wavefront: order it by grid row (counting sort) so that
      // consecutive nodes share their neighbourhood in the cache.
      const std::size_t rows = static_cast<std::size_t>(m.ph) + 1;
      ws.row_count.assign(rows + 1, 0);
      const auto pw = static_cast<std::uint32_t>(m.pw);
      const auto cells = static_cast<std::uint32_t>(m.cell_nodes());
      auto row_of = [&](std::uint32_t v) { return v < cells ? v / pw : static_cast<std::uint32_t>(rows - 1); };
      for (const auto& e : bk) ++ws.row_count[row_of(e.node) + 1];
      for (std::size_t r = 0; r < rows; ++r) ws.row_count[r + 1] += ws.row_count[r];
      ws.sort_buf.resize(bk.size());
      for (const auto& e : bk) ws.sort_buf[ws.row_count[row_of(e.node)]++] = e;
      bk.swap(ws.sort_buf);
    }
    while (!bk.empty()) {
      const QueueEntry e = bk.back();
      bk.pop_back();
      --pending;
      const std::uint32_t u = e.node;
      const Deciseconds du = e.key;
      if (lab[u].dist != du) continue;
      if (opt.prune && u < m.cell_nodes() && du >= opt.prune[u]) continue;
      if (remaining_targets) {
        const auto it = std::lower_bound(stop_when_settled.begin(), stop_when_settled.end(), u);
        if (it != stop_when_settled.end() && *it == u) {
          auto& seen = target_seen[static_cast<std::size_t>(it - stop_when_settled.begin())];
          if (!seen) --remaining_targets;
          seen = 1;
        }
      }
      const std::int32_t lu = lab[u].label;
      expand<NB>(
          m, mt, u,
          [&](std::uint32_t v, Deciseconds w) {
            const Deciseconds nd = du + w;
            if (nd < lab[v].dist) {
              if (lab[v].dist == UNREACHED_DS) touch(v);
              lab[v] = {nd, lu};
              if (pred) pred[v] = u;
              ws.buckets[(nd >> shift) & bmask].push_back({v, nd});
              ++pending;
            }
          },
          [&](std::uint32_t v) { return lab[v].dist <= du; });
    }
    if (!stop_when_settled.empty() && remaining_targets == 0) break;
    ++k;
  }
  if (pending > 0)
    for (auto& b : ws.buckets) b.clear();
  // Nodes left with a tentative cost beyond what is final are "not reached".
  if (opt.limit < UNREACHED_DS - 1 || !stop_when_settled.empty()) {
    const std::uint64_t bucket_end = (k + 1) * delta - 1;
    const Deciseconds keep = static_cast<Deciseconds>(std::min<std::uint64_t>(opt.limit, bucket_end));
    auto clear_above = [&](std::uint32_t v) {
      if (lab[v].dist != UNREACHED_DS && lab[v].dist > keep) {
        lab[v] = NodeLabel{};
        if (pred) pred[v] = core::INVALID_ID;
      }
    };
    if (ws.all_dirty)
      for (std::uint32_t v = 0; v < ws.lab.size(); ++v) clear_above(v);
    else
      for (auto v : ws.touched) clear_above(v);
  }
}

void run_search_targets(const TravelModel& m, SearchWorkspace& ws, std::span<const Seed> seeds, const SearchOptions& opt,
                        std::span<const std::uint32_t> stop_when_settled) {
  prepare(m, ws, opt.track_pred);
  if (m.neighbours == 8) search_impl<8>(m, ws, seeds, opt, stop_when_settled);
  else search_impl<16>(m, ws, seeds, opt, stop_when_settled);
}

core::ISeconds to_iseconds(Deciseconds d) {
  if (d == UNREACHED_DS) return core::UNREACHABLE;
  return static_cast<core::ISeconds>((static_cast<std::uint64_t>(d) + 9) / 10);
}

}  // namespace

core::Vec2 TravelModel::node_point(std::uint32_t node) const {
  if (node < cell_nodes()) {
    const int col = static_cast<int>(node % static_cast<std::uint32_t>(pw)) - 2;
    const int row = static_cast<int>(node / static_cast<std::uint32_t>(pw)) - 2;
    return cell_center(col, row);
  }
  return roads.nodes[node - cell_nodes()];
}

TravelModel build_travel_model(const core::GridF& pace, const RoadNetwork& roads, int neighbours) {
  TravelModel m;
  m.width = pace.width;
  m.height = pace.height;
  m.origin_x = pace.origin_x;
  m.origin_y = pace.origin_y;
  m.cell = pace.cell;
  m.neighbours = neighbours == 8 ? 8 : 16;
  m.pw = pace.width + 4;
  m.ph = pace.height + 4;
  m.pace.assign(m.cell_nodes(), INF_F);
  m.link_bits.assign(m.cell_nodes() / 64 + 1, 0);
  float pmin = INF_F, pmax = 0.0f;
  for (int r = 0; r < pace.height; ++r)
    for (int c = 0; c < pace.width; ++c) {
      float p = pace.at(c, r);
      if (!(p > 0.0f) || std::isnan(p)) p = INF_F;
      m.pace[m.cell_node(c, r)] = p;
      if (p < INF_F) {
        pmin = std::min(pmin, p);
        pmax = std::max(pmax, p);
      }
    }
  m.roads = roads.nodes.empty() ? roads : densify(roads, m.cell * 0.5);
  // Links: each road node to the cell it lies in (if that cell is passable).
  const std::size_t nn = m.roads.nodes.size();
  m.node_link.assign(nn, core::INVALID_ID);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> links;  // (cell, node)
  for (std::uint32_t i = 0; i < nn; ++i) {
    const auto q = m.roads.nodes[i];
    const int c = static_cast<int>(std::floor((q.x - m.origin_x) / m.cell));
    const int r = static_cast<int>(std::floor((m.origin_y - q.y) / m.cell));
    if (c < 0 || r < 0 || c >= m.width || r >= m.height) continue;
    if (!(m.pace[m.cell_node(c, r)] < INF_F)) continue;
    links.emplace_back(m.cell_node(c, r), i);
  }
  std::sort(links.begin(), links.end());
  Deciseconds max_edge = 1;
  for (std::size_t l = 0; l < links.size(); ++l) {
    const auto [cell, node] = links[l];
    const auto ctr = m.node_point(cell);
    const auto q = m.roads.nodes[node];
    const double d = std::hypot(q.x - ctr.x, q.y - ctr.y);
    const auto w = static_cast<Deciseconds>(std::ceil(d * m.pace[cell] * DS_PER_S));
    m.link_cell.push_back(cell);
    m.link_node.push_back(node);
    m.link_w.push_back(w);
    m.node_link[node] = static_cast<std::uint32_t>(l);
    m.link_bits[cell >> 6] |= std::uint64_t{1} << (cell & 63);
    max_edge = std::max(max_edge, w);
  }
  for (auto w : m.roads.graph.weights) max_edge = std::max(max_edge, w);
  if (pmax > 0.0f) {
    const MoveTable mt = move_table(m);
    max_edge = std::max(max_edge, ceil_ds(mt.mv[4].f * 2.0f * pmax) + 1);
    max_edge = std::max(max_edge, ceil_ds(mt.mv[8].f * 4.0f * pmax) + 1);
  }
  m.max_edge = max_edge;
  // Bucket width (Delta-stepping): about two straight moves at the median pace. Wider buckets
  // hold a band of the wavefront more than a cell wide, so the nodes drained together are
  // neighbours in memory; moves cheaper than a bucket are corrected within it. Measured on the
  // 2048^2 benchmark grid: 1 x the cheapest move 0.59 s, 2 x the median move 0.41 s, much
  // wider (64 x the cheapest) 2.8 s from the corrections.
  if (pmin < INF_F) {
    std::vector<float> sample;
    const std::size_t step = std::max<std::size_t>(1, m.pace.size() / 65'536);
    for (std::size_t i = 0; i < m.pace.size(); i += step)
      if (m.pace[i] < INF_F) sample.push_back(m.pace[i]);
    if (sample.empty()) sample.push_back(pmin);
    auto mid = sample.begin() + static_cast<std::ptrdiff_t>(sample.size() / 2);
    std::nth_element(sample.begin(), mid, sample.end());
    m.bucket_width = std::max<Deciseconds>(1, static_cast<Deciseconds>(std::floor(2.0 * m.cell * *mid * DS_PER_S)));
  }
  m.top_mps = pmin < INF_F ? 1.0 / pmin : 0.0;
  if (m.roads.top_kmh > 0) m.top_mps = std::max(m.top_mps, core::mps(m.roads.top_kmh));
  return m;
}

void run_search(const TravelModel& m, SearchWorkspace& ws, std::span<const Seed> seeds, const SearchOptions& opt) {
  run_search_targets(m, ws, seeds, opt, {});
}

PointAnchor anchor_point(const TravelModel& m, core::Vec2 p) {
  PointAnchor a;
  if (!std::isfinite(p.x) || !std::isfinite(p.y) || m.width == 0) return a;
  const int c0 = static_cast<int>(std::floor((p.x - m.origin_x) / m.cell));
  const int r0 = static_cast<int>(std::floor((m.origin_y - p.y) / m.cell));
  double best = std::numeric_limits<double>::infinity();
  for (int rad = 0; rad <= 3; ++rad) {
    for (int r = r0 - rad; r <= r0 + rad; ++r)
      for (int c = c0 - rad; c <= c0 + rad; ++c) {
        if (std::max(std::abs(r - r0), std::abs(c - c0)) != rad) continue;
        if (c < 0 || r < 0 || c >= m.width || r >= m.height) continue;
        const float pc = m.pace_at(c, r);
        if (!(pc < INF_F)) continue;
        const auto ctr = m.cell_center(c, r);
        const double d = std::hypot(ctr.x - p.x, ctr.y - p.y);
        // Inside its own cell the point travels at the cell's pace; to a neighbouring cell it
        // is charged at that cell's pace over the whole distance (a slight overestimate).
        const double cost = d * pc * DS_PER_S;
        if (cost < best) {
          best = cost;
          a.ok = true;
          a.node = m.cell_node(c, r);
        }
      }
    if (a.ok) break;
  }
  if (a.ok) a.cost = static_cast<Deciseconds>(std::ceil(best));
  return a;
}

TravelSurface travel_surface(const TravelModel& m, std::span<const core::Vec2> facilities, double limit_s) {
  SearchWorkspace ws;
  return travel_surface(m, facilities, ws, limit_s);
}

TravelSurface travel_surface(const TravelModel& m, std::span<const core::Vec2> facilities, SearchWorkspace& ws,
                             double limit_s) {
  TravelSurface out;
  out.seconds = core::GridF(m.width, m.height, m.origin_x, m.origin_y, m.cell, INF_F);
  out.nearest = core::GridI(m.width, m.height, m.origin_x, m.origin_y, m.cell, -1);
  std::vector<Seed> seeds;
  for (std::uint32_t i = 0; i < facilities.size(); ++i) {
    const auto a = anchor_point(m, facilities[i]);
    if (!a.ok) {
      out.unplaced.push_back(i);
      continue;
    }
    seeds.push_back({a.node, a.cost, static_cast<std::int32_t>(i)});
  }
  SearchOptions opt;
  if (std::isfinite(limit_s)) opt.limit = static_cast<Deciseconds>(std::min(4.0e9, std::max(0.0, limit_s * DS_PER_S)));
  run_search(m, ws, seeds, opt);
  for (int r = 0; r < m.height; ++r) {
    const std::size_t base = m.cell_node(0, r);
    float* so = out.seconds.data.data() + static_cast<std::size_t>(r) * m.width;
    std::int32_t* no = out.nearest.data.data() + static_cast<std::size_t>(r) * m.width;
    for (int c = 0; c < m.width; ++c) {
      const NodeLabel l = ws.lab[base + c];
      if (l.dist != UNREACHED_DS) {
        so[c] = static_cast<float>(l.dist / DS_PER_S);
        no[c] = l.label;
      }
    }
  }
  return out;
}

double point_time(const TravelModel& m, const TravelSurface& s, core::Vec2 p, std::int32_t* nearest) {
  if (nearest) *nearest = -1;
  const auto a = anchor_point(m, p);
  if (!a.ok) return std::numeric_limits<double>::infinity();
  const auto cp = m.node_point(a.node);
  const int c = static_cast<int>(std::floor((cp.x - m.origin_x) / m.cell));
  const int r = static_cast<int>(std::floor((m.origin_y - cp.y) / m.cell));
  const float t = s.seconds.at(c, r);
  if (!std::isfinite(t)) return std::numeric_limits<double>::infinity();
  if (nearest) *nearest = s.nearest.at(c, r);
  return t + a.cost / DS_PER_S;
}

NearestFacilities nearest_facilities(const TravelModel& m, std::span<const core::Vec2> demand,
                                     std::span<const core::Vec2> facilities, std::span<const int> facility_type,
                                     int types, int k) {
  NearestFacilities out;
  out.k = std::max(1, k);
  out.types = std::max(0, types);
  k = out.k;
  const std::size_t nd = demand.size();
  out.facility.assign(nd * out.types * k, -1);
  out.seconds.assign(nd * out.types * k, INF_F);
  std::vector<PointAnchor> da(nd);
  for (std::size_t i = 0; i < nd; ++i) da[i] = anchor_point(m, demand[i]);
  const std::size_t n = m.node_count();
  const MoveTable mt = move_table(m);
  std::vector<Deciseconds> lab_d(n * k);
  std::vector<std::int32_t> lab_s(n * k);
  std::vector<std::uint8_t> cnt(n);
  struct Entry {
    std::uint32_t node;
    std::int32_t src;
  };
  for (int type = 0; type < out.types; ++type) {
    std::fill(cnt.begin(), cnt.end(), std::uint8_t{0});
    std::vector<Seed> seeds;
    Deciseconds lo = UNREACHED_DS, hi = 0;
    for (std::uint32_t f = 0; f < facilities.size(); ++f) {
      if (f >= facility_type.size() || facility_type[f] != type) continue;
      const auto a = anchor_point(m, facilities[f]);
      if (!a.ok) continue;
      seeds.push_back({a.node, a.cost, static_cast<std::int32_t>(f)});
      lo = std::min(lo, a.cost);
      hi = std::max(hi, a.cost);
    }
    if (seeds.empty()) continue;
    const std::uint32_t nb = next_pow2(static_cast<std::uint64_t>(std::max(m.max_edge, hi - lo)) + 2);
    std::vector<std::vector<Entry>> buckets(nb);
    const std::uint32_t bmask = nb - 1;
    std::size_t pending = 0;
    for (const auto& s : seeds) {
      buckets[s.cost & bmask].push_back({s.node, s.label});
      ++pending;
    }
    auto has_src = [&](std::uint32_t v, std::int32_t src) {
      const std::size_t b = static_cast<std::size_t>(v) * k;
      for (int j = 0; j < cnt[v]; ++j)
        if (lab_s[b + j] == src) return true;
      return false;
    };
    Deciseconds cur = lo;
    while (pending > 0) {
      auto& bk = buckets[cur & bmask];
      while (!bk.empty()) {
        const Entry e = bk.back();
        bk.pop_back();
        --pending;
        const std::uint32_t u = e.node;
        if (cnt[u] >= k || has_src(u, e.src)) continue;
        const std::size_t b = static_cast<std::size_t>(u) * k;
        lab_d[b + cnt[u]] = cur;
        lab_s[b + cnt[u]] = e.src;
        ++cnt[u];
        const auto expand_one = [&](std::uint32_t v, Deciseconds w) {
          if (cnt[v] >= k || has_src(v, e.src)) return;
          buckets[(cur + w) & bmask].push_back({v, e.src});
          ++pending;
        };
        const auto keep_all = [](std::uint32_t) { return false; };
        if (m.neighbours == 8) expand<8>(m, mt, u, expand_one, keep_all);
        else expand<16>(m, mt, u, expand_one, keep_all);
      }
      ++cur;
    }
    // Demand points: the labels of their anchor cell plus the last stretch.
    for (std::size_t i = 0; i < nd; ++i) {
      if (!da[i].ok) continue;
      const auto v = da[i].node;
      const std::size_t b = static_cast<std::size_t>(v) * k;
      const std::size_t o = (i * out.types + type) * k;
      for (int j = 0; j < cnt[v]; ++j) {
        out.facility[o + j] = lab_s[b + j];
        out.seconds[o + j] = static_cast<float>((lab_d[b + j] + static_cast<double>(da[i].cost)) / DS_PER_S);
      }
    }
  }
  return out;
}

core::ISeconds SparseTimeMatrix::at(std::uint32_t j, std::uint32_t i) const {
  if (j >= candidates) return core::UNREACHABLE;
  const auto b = demand.begin() + offsets[j], e = demand.begin() + offsets[j + 1];
  const auto it = std::lower_bound(b, e, i);
  if (it == e || *it != i) return core::UNREACHABLE;
  return seconds[static_cast<std::size_t>(it - demand.begin())];
}

SparseTimeMatrix sparse_time_matrix(const TravelModel& m, std::span<const core::Vec2> demand,
                                    std::span<const core::Vec2> candidates, double limit_s, int threads) {
  SparseTimeMatrix out;
  out.candidates = candidates.size();
  out.demands = demand.size();
  const Deciseconds limit = static_cast<Deciseconds>(std::min(4.0e9, std::max(0.0, limit_s * DS_PER_S)));
  std::vector<PointAnchor> da(demand.size());
  for (std::size_t i = 0; i < demand.size(); ++i) da[i] = anchor_point(m, demand[i]);
  // Demand points by anchor node, so a search only looks at the points of the nodes it reached.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> by_node;
  for (std::uint32_t i = 0; i < da.size(); ++i)
    if (da[i].ok) by_node.emplace_back(da[i].node, i);
  std::sort(by_node.begin(), by_node.end());
  std::vector<std::vector<std::pair<std::uint32_t, core::ISeconds>>> rows(candidates.size());
  auto work = [&](std::size_t first, std::size_t step) {
    SearchWorkspace ws;
    SearchOptions opt;
    opt.limit = limit;
    for (std::size_t j = first; j < candidates.size(); j += step) {
      const auto a = anchor_point(m, candidates[j]);
      if (!a.ok) continue;
      const Seed s{a.node, a.cost, 0};
      run_search(m, ws, std::span<const Seed>(&s, 1), opt);
      auto& row = rows[j];
      auto take = [&](std::uint32_t node, std::uint32_t i) {
        const Deciseconds d = ws.lab[node].dist;
        if (d == UNREACHED_DS) return;
        const auto t = static_cast<std::uint64_t>(d) + da[i].cost;
        if (t <= limit) row.emplace_back(i, to_iseconds(static_cast<Deciseconds>(t)));
      };
      if (ws.all_dirty) {
        for (const auto& [node, i] : by_node) take(node, i);
      } else {
        // Walk the reached nodes that hold demand points.
        for (auto v : ws.touched) {
          auto it = std::lower_bound(by_node.begin(), by_node.end(), std::make_pair(v, 0u));
          for (; it != by_node.end() && it->first == v; ++it) take(v, it->second);
        }
      }
      std::sort(row.begin(), row.end());
    }
  };
  const int nt = std::max(1, threads);
  if (nt == 1) {
    work(0, 1);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < nt; ++t) pool.emplace_back(work, static_cast<std::size_t>(t), static_cast<std::size_t>(nt));
    for (auto& th : pool) th.join();
  }
  for (const auto& row : rows) {
    for (const auto& [i, t] : row) {
      out.demand.push_back(i);
      out.seconds.push_back(t);
    }
    out.offsets.push_back(static_cast<std::uint32_t>(out.demand.size()));
  }
  return out;
}

StopMatrix stop_matrix(const TravelModel& m, std::span<const core::Vec2> stops, bool with_paths) {
  StopMatrix out;
  out.n = static_cast<int>(stops.size());
  const std::size_t n = stops.size();
  out.seconds.assign(n * n, core::UNREACHABLE);
  out.path_offsets.assign(1, 0);
  std::vector<PointAnchor> sa(n);
  std::vector<std::uint32_t> targets;
  for (std::size_t i = 0; i < n; ++i) {
    sa[i] = anchor_point(m, stops[i]);
    if (sa[i].ok) targets.push_back(sa[i].node);
  }
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  SearchWorkspace ws;
  std::vector<core::Vec2> path;
  for (std::size_t i = 0; i < n; ++i) {
    if (sa[i].ok) {
      const Seed s{sa[i].node, sa[i].cost, 0};
      SearchOptions opt;
      opt.track_pred = with_paths;
      run_search_targets(m, ws, std::span<const Seed>(&s, 1), opt, targets);
    }
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t k = i * n + j;
      path.clear();
      if (sa[i].ok && sa[j].ok && !ws.lab.empty() && ws.lab[sa[j].node].dist != UNREACHED_DS) {
        if (i == j) {
          out.seconds[k] = 0;
        } else {
          out.seconds[k] = to_iseconds(ws.lab[sa[j].node].dist + sa[j].cost);
        }
        if (with_paths && i != j) {
          path.push_back(stops[j]);
          for (auto v = sa[j].node; v != core::INVALID_ID; v = ws.pred[v]) path.push_back(m.node_point(v));
          path.push_back(stops[i]);
          std::reverse(path.begin(), path.end());
          // Drop points on a straight line between their neighbours (runs of grid cells).
          std::vector<core::Vec2> simple;
          for (const auto& q : path) {
            if (!simple.empty() && simple.back() == q) continue;
            if (simple.size() >= 2) {
              const auto a = simple[simple.size() - 2], b = simple.back();
              const double cross = (b.x - a.x) * (q.y - a.y) - (b.y - a.y) * (q.x - a.x);
              const double dot = (b.x - a.x) * (q.x - b.x) + (b.y - a.y) * (q.y - b.y);
              if (std::abs(cross) < 1e-6 * m.cell * m.cell && dot > 0) simple.back() = q;
              else simple.push_back(q);
            } else {
              simple.push_back(q);
            }
          }
          out.coords.insert(out.coords.end(), simple.begin(), simple.end());
        }
      }
      out.path_offsets.push_back(static_cast<std::uint32_t>(out.coords.size()));
    }
  }
  return out;
}

}  // namespace kepumap::analysis
