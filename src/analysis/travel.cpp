#include "analysis/travel.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <queue>
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
        const float s =
            pu + p[v] + p[static_cast<std::int64_t>(u) + mv.m1] + p[static_cast<std::int64_t>(u) + mv.m2];
        if (!(s < INF_F)) continue;
        f(v, ceil_ds(mv.f * s));
      }
    }
    if (m.has_link(static_cast<std::uint32_t>(u))) {
      auto it = std::lower_bound(m.link_cell.begin(), m.link_cell.end(), u);
      for (auto i = static_cast<std::size_t>(it - m.link_cell.begin());
           i < m.link_cell.size() && m.link_cell[i] == u; ++i)
        f(static_cast<std::uint32_t>(cells + m.link_node[i]), m.link_w[i]);
    }
  } else {
    const auto r = static_cast<std::uint32_t>(u - cells);
    const auto& g = m.roads.graph;
    for (auto e = g.offsets[r]; e < g.offsets[r + 1]; ++e)
      f(static_cast<std::uint32_t>(cells + g.targets[e]), g.weights[e]);
    const auto l = m.node_link[r];
    if (l != core::INVALID_ID) f(m.link_cell[l], m.link_w[l]);
  }
}

std::uint32_t next_pow2(std::uint64_t x) {
  std::uint64_t b = 1;
  while (b < x) b <<= 1;
  return static_cast<std::uint32_t>(b);
}

// Tiles of the queue: 64 x 64 padded cells. Labels and paces of one tile take 48 KB, so a
// tile being drained stays in the core's caches.
constexpr int TILE_SHIFT = SEARCH_TILE_SHIFT;
constexpr std::uint32_t TILE = 1u << TILE_SHIFT;

inline std::uint32_t cell_tile(std::uint32_t c, std::uint32_t pw, std::uint32_t tw) {
  const std::uint32_t r = c / pw, col = c - r * pw;
  return (r >> TILE_SHIFT) * tw + (col >> TILE_SHIFT);
}

// Sizes the workspace for the model and resets what the previous search wrote: the cells of
// the tiles it used and the road nodes it reached.
void prepare(const TravelModel& m, SearchWorkspace& ws, bool track_pred) {
  const std::size_t n = m.node_count();
  const int tw = static_cast<int>((static_cast<std::uint32_t>(m.pw) + TILE - 1) >> TILE_SHIFT);
  const int th = static_cast<int>((static_cast<std::uint32_t>(m.ph) + TILE - 1) >> TILE_SHIFT);
  const std::size_t tiles = static_cast<std::size_t>(tw) * th + 1;  // + one for road nodes off the grid
  if (ws.dist.size() != n || ws.grid_pw != m.pw || ws.grid_ph != m.ph || ws.tiles_wide != tw ||
      ws.tiles_high != th) {
    ws.dist.assign(n, UNREACHED_DS);
    ws.label.assign(n, -1);
    ws.pred.clear();
    ws.used_tiles.clear();
    ws.used_roads.clear();
    ws.tiles_wide = tw;
    ws.tiles_high = th;
    ws.grid_pw = m.pw;
    ws.grid_ph = m.ph;
    ws.tile_used.assign(tiles, 0);
    ws.pending.assign(tiles, {});
    ws.tile_min.assign(tiles, UNREACHED_DS);
    ws.heap.clear();
  } else {
    const bool with_pred = !ws.pred.empty();
    const auto grid_tiles = static_cast<std::uint32_t>(tw) * static_cast<std::uint32_t>(th);
    for (const auto t : ws.used_tiles) {
      ws.tile_used[t] = 0;
      if (t >= grid_tiles) continue;  // road nodes off the grid: reset through used_roads
      const std::uint32_t r0 = (t / static_cast<std::uint32_t>(tw)) << TILE_SHIFT;
      const std::uint32_t c0 = (t % static_cast<std::uint32_t>(tw)) << TILE_SHIFT;
      const std::uint32_t r1 = std::min<std::uint32_t>(r0 + TILE, static_cast<std::uint32_t>(m.ph));
      const std::uint32_t c1 = std::min<std::uint32_t>(c0 + TILE, static_cast<std::uint32_t>(m.pw));
      for (std::uint32_t r = r0; r < r1; ++r) {
        const std::size_t b = static_cast<std::size_t>(r) * static_cast<std::size_t>(m.pw);
        std::fill(ws.dist.begin() + static_cast<std::ptrdiff_t>(b + c0),
                  ws.dist.begin() + static_cast<std::ptrdiff_t>(b + c1), UNREACHED_DS);
        std::fill(ws.label.begin() + static_cast<std::ptrdiff_t>(b + c0),
                  ws.label.begin() + static_cast<std::ptrdiff_t>(b + c1), -1);
        if (with_pred)
          std::fill(ws.pred.begin() + static_cast<std::ptrdiff_t>(b + c0),
                    ws.pred.begin() + static_cast<std::ptrdiff_t>(b + c1), core::INVALID_ID);
      }
    }
    for (const auto v : ws.used_roads) {
      ws.dist[v] = UNREACHED_DS;
      ws.label[v] = -1;
      if (with_pred) ws.pred[v] = core::INVALID_ID;
    }
    ws.used_tiles.clear();
    ws.used_roads.clear();
  }
  if (track_pred && ws.pred.size() != n) ws.pred.assign(n, core::INVALID_ID);
}

// The tiled search (see travel.hpp). Every label improvement queues the node with its new cost;
// an entry whose cost is no longer the node's label is stale and skipped, so a node is expanded
// again whenever it improves and the search ends with no edge left that could shorten a cost:
// exact shortest-path costs, whatever order the tiles are taken in.
// flatten: the queue pushes must be inlined into the loop (GCC leaves them out of line in a
// function this size: 14 % of the time on the 4096^2 benchmark).
template <int NB>
[[gnu::flatten]] void search_impl(const TravelModel& m, SearchWorkspace& ws, std::span<const Seed> seeds,
                                  const SearchOptions& opt,
                                  std::span<const std::uint32_t> stop_when_settled) {
  if (seeds.empty()) return;
  const MoveTable mt = move_table(m);
  const auto pw = static_cast<std::uint32_t>(m.pw);
  const auto tw = static_cast<std::uint32_t>(ws.tiles_wide);
  const std::uint32_t off_grid_tile = tw * static_cast<std::uint32_t>(ws.tiles_high);
  const std::size_t cells = m.cell_nodes();
  const int shift = std::countr_zero(std::bit_floor(std::max<Deciseconds>(1, m.bucket_width)));
  // The window in whole buckets, at least one and at most 8192 (the tile's bucket array).
  const std::uint64_t window = std::clamp<std::uint64_t>(m.window >> shift, 1, 8192) << shift;
  const std::size_t nloc = (window >> shift) + 2;
  if (ws.local.size() < nloc) ws.local.resize(nloc);
  // UNREACHED_DS itself is no cost: a limit at it means "no limit" (UNREACHED_DS - 1).
  const std::uint64_t limit = std::min<std::uint64_t>(opt.limit, UNREACHED_DS - 1);
  Deciseconds* dist = ws.dist.data();
  const std::size_t dist_size = ws.dist.size();
  std::int32_t* label = ws.label.data();
  std::uint32_t* pred = opt.track_pred ? ws.pred.data() : nullptr;
  const float* pace = m.pace.data();
  const auto heap_less = [](const QueueEntry& a, const QueueEntry& b) { return a.key > b.key; };

  const auto tile_of = [&](std::uint32_t v) -> std::uint32_t {
    if (v < cells) return cell_tile(v, pw, tw);
    const auto l = m.node_link[v - cells];
    return l == core::INVALID_ID ? off_grid_tile : cell_tile(m.link_cell[l], pw, tw);
  };
  // Queues v (just improved to nd) on tile t's pending list.
  const auto push_pending = [&](std::uint32_t t, std::uint32_t v, Deciseconds nd, std::int32_t lv) {
    if (!ws.tile_used[t]) {
      ws.tile_used[t] = 1;
      ws.used_tiles.push_back(t);
    }
    ws.pending[t].push_back({v, nd, lv});
    if (nd < ws.tile_min[t]) {
      ws.tile_min[t] = nd;
      ws.heap.push_back({t, nd, 0});
      std::push_heap(ws.heap.begin(), ws.heap.end(), heap_less);
    }
  };

  for (const auto& s : seeds) {
    // Nodes outside the graph and impassable cells (the padding among them) start nothing.
    if (s.node >= dist_size || (s.node < cells && !(pace[s.node] < INF_F))) continue;
    if (s.cost > limit || s.cost >= dist[s.node]) continue;
    if (s.node >= cells && dist[s.node] == UNREACHED_DS) ws.used_roads.push_back(s.node);
    dist[s.node] = s.cost;
    label[s.node] = s.label;
    if (pred) pred[s.node] = core::INVALID_ID;
    push_pending(tile_of(s.node), s.node, s.cost, s.label);
  }
  std::vector<std::uint32_t> open_targets(stop_when_settled.begin(), stop_when_settled.end());
  Deciseconds next_check = 0;

  while (!ws.heap.empty()) {
    std::pop_heap(ws.heap.begin(), ws.heap.end(), heap_less);
    const QueueEntry top = ws.heap.back();
    ws.heap.pop_back();
    const std::uint32_t t = top.node;
    const Deciseconds K = top.key;
    if (K != ws.tile_min[t]) continue;  // stale: the tile was drained or improved since
    if (!stop_when_settled.empty() && K >= next_check) {
      // K is the smallest pending cost anywhere, so every cost up to K is final. The next look
      // is due when K reaches the cheapest open target's current cost (a target that improves
      // meanwhile only makes the stop later, never wrong), or a window on at the latest.
      std::erase_if(open_targets, [&](std::uint32_t x) { return dist[x] <= K; });
      if (open_targets.empty()) {
        ws.tile_min[t] = UNREACHED_DS;
        break;
      }
      // Targets not reached yet: look again a window further on at the latest.
      next_check =
          static_cast<Deciseconds>(std::min<std::uint64_t>(std::uint64_t{K} + window, UNREACHED_DS - 1));
      for (const auto x : open_targets) next_check = std::min(next_check, dist[x]);
    }
    // Drain tile t from K up to (not including) lim.
    const Deciseconds lim =
        static_cast<Deciseconds>(std::min<std::uint64_t>(std::uint64_t{K} + window, limit + 1));
    const Deciseconds kb0 = K >> shift;
    auto& pend = ws.pending[t];
    Deciseconds newmin = UNREACHED_DS;
    std::size_t top_b = 0;
    const auto push_here = [&](std::uint32_t v, Deciseconds nd, std::int32_t lv) {
      if (nd < lim) {
        const std::size_t b = (nd >> shift) - kb0;
        ws.local[b].push_back({v, nd, lv});
        top_b = std::max(top_b, b);
      } else {
        pend.push_back({v, nd, lv});
        newmin = std::min(newmin, nd);
      }
    };
    ws.keep.clear();
    for (const auto& e : pend) {
      if (dist[e.node] != e.key) continue;
      if (e.key < lim) {
        const std::size_t b = (e.key >> shift) - kb0;
        ws.local[b].push_back(e);
        top_b = std::max(top_b, b);
      } else {
        ws.keep.push_back(e);
        newmin = std::min(newmin, e.key);
      }
    }
    pend.swap(ws.keep);
    for (std::size_t b = 0; b <= top_b; ++b) {
      auto& bk = ws.local[b];
      while (!bk.empty()) {
        const QueueEntry e = bk.back();
        bk.pop_back();
        const std::uint32_t u = e.node;
        const Deciseconds du = e.key;
        if (dist[u] != du) continue;
        const std::int32_t lu = e.label;
        label[u] = lu;
        if (opt.prune && u < cells && du >= opt.prune[u]) continue;
        // Any node, any tile.
        const auto relax_any = [&](std::uint32_t v, std::uint64_t nd) {
          if (nd >= dist[v] || nd > limit) return;
          if (v >= cells && dist[v] == UNREACHED_DS) ws.used_roads.push_back(v);
          dist[v] = static_cast<Deciseconds>(nd);
          if (pred) pred[v] = u;
          const std::uint32_t tv = tile_of(v);
          if (tv == t)
            push_here(v, static_cast<Deciseconds>(nd), lu);
          else
            push_pending(tv, v, static_cast<Deciseconds>(nd), lu);
        };
        if (u >= cells) {
          const auto r = static_cast<std::uint32_t>(u - cells);
          const auto& g = m.roads.graph;
          for (auto i = g.offsets[r]; i < g.offsets[r + 1]; ++i)
            relax_any(static_cast<std::uint32_t>(cells + g.targets[i]), std::uint64_t{du} + g.weights[i]);
          const auto l = m.node_link[r];
          if (l != core::INVALID_ID) relax_any(m.link_cell[l], std::uint64_t{du} + m.link_w[l]);
          continue;
        }
        // A grid cell. The moves below are those of expand() (search_edges lists them; a test
        // checks this loop against a plain Dijkstra over search_edges), written out here because
        // the search through expand() and a callback measured 5 % slower. All 8 (16) neighbours
        // of a cell away from its tile's edge lie in its own tile, so their tile needs no division.
        constexpr std::uint32_t MG = NB == 16 ? 2 : 1;
        const std::uint32_t ur = u / pw, uc = u - ur * pw;
        const std::uint32_t lr = ur & (TILE - 1), lc = uc & (TILE - 1);
        const bool inner = lr >= MG && lc >= MG && lr < TILE - MG && lc < TILE - MG;
        const auto relax_cell = [&](std::uint32_t v, std::uint64_t nd) {  // nd < dist[v] known
          if (nd > limit) return;
          dist[v] = static_cast<Deciseconds>(nd);
          if (pred) pred[v] = u;
          const std::uint32_t tv = inner ? t : cell_tile(v, pw, tw);
          if (tv == t)
            push_here(v, static_cast<Deciseconds>(nd), lu);
          else
            push_pending(tv, v, static_cast<Deciseconds>(nd), lu);
        };
        const float pu = pace[u];
        for (int k = 0; k < 8; ++k) {
          const auto v = static_cast<std::uint32_t>(static_cast<std::int64_t>(u) + mt.mv[k].off);
          const float sp = pu + pace[v];
          if (!(sp < INF_F)) continue;
          const std::uint64_t nd = std::uint64_t{du} + ceil_ds(mt.mv[k].f * sp);
          if (nd < dist[v]) relax_cell(v, nd);
        }
        if constexpr (NB == 16) {
          for (int k = 8; k < 16; ++k) {
            const auto& mv = mt.mv[k];
            const auto v = static_cast<std::uint32_t>(static_cast<std::int64_t>(u) + mv.off);
            if (dist[v] <= du) continue;  // no move can improve it
            const float sp = pu + pace[v] + pace[static_cast<std::int64_t>(u) + mv.m1] +
                             pace[static_cast<std::int64_t>(u) + mv.m2];
            if (!(sp < INF_F)) continue;
            const std::uint64_t nd = std::uint64_t{du} + ceil_ds(mv.f * sp);
            if (nd < dist[v]) relax_cell(v, nd);
          }
        }
        if (m.has_link(u)) {
          auto it = std::lower_bound(m.link_cell.begin(), m.link_cell.end(), u);
          for (auto i = static_cast<std::size_t>(it - m.link_cell.begin());
               i < m.link_cell.size() && m.link_cell[i] == u; ++i)
            relax_any(static_cast<std::uint32_t>(cells + m.link_node[i]), std::uint64_t{du} + m.link_w[i]);
        }
      }
    }
    ws.tile_min[t] = newmin;
    if (newmin != UNREACHED_DS) {
      ws.heap.push_back({t, newmin, 0});
      std::push_heap(ws.heap.begin(), ws.heap.end(), heap_less);
    }
  }
  // Stopped early (all targets settled): leave the queue empty for the next search. Costs
  // above the last K may be tentative; callers of a targeted search read only the targets
  // and the paths to them, which are final.
  if (!ws.heap.empty() || !open_targets.empty() || !stop_when_settled.empty()) {
    for (const auto t : ws.used_tiles) {
      ws.pending[t].clear();
      ws.tile_min[t] = UNREACHED_DS;
    }
    ws.heap.clear();
  }
}

void run_search_targets(const TravelModel& m, SearchWorkspace& ws, std::span<const Seed> seeds,
                        const SearchOptions& opt, std::span<const std::uint32_t> stop_when_settled) {
  prepare(m, ws, opt.track_pred);
  if (m.neighbours == 8)
    search_impl<8>(m, ws, seeds, opt, stop_when_settled);
  else
    search_impl<16>(m, ws, seeds, opt, stop_when_settled);
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
  tune_queue(m);
  m.top_mps = pmin < INF_F ? 1.0 / pmin : 0.0;
  if (m.roads.top_kmh > 0) m.top_mps = std::max(m.top_mps, core::mps(m.roads.top_kmh));
  return m;
}

void tune_queue(TravelModel& m) {
  // Bucket width inside a tile: half a straight move at the median pace (a power of two), so
  // most moves land in a later bucket and few nodes are expanded twice; window: 512 buckets,
  // a few tile widths of travel. Measured on the 4096^2 benchmark grid (8 moves): buckets of
  // 1/4 to 1 median move within 3 %, 1.4 median moves 10 % slower; windows of 16 to 64 tile
  // widths of travel within 5 %.
  double typical = 0.0;  // deciseconds of a typical edge
  std::vector<float> sample;
  const std::size_t step = std::max<std::size_t>(1, m.pace.size() / 65'536);
  for (std::size_t i = 0; i < m.pace.size(); i += step)
    if (m.pace[i] < INF_F) sample.push_back(m.pace[i]);
  if (!sample.empty()) {
    auto mid = sample.begin() + static_cast<std::ptrdiff_t>(sample.size() / 2);
    std::nth_element(sample.begin(), mid, sample.end());
    typical = m.cell * *mid * DS_PER_S;
  } else if (!m.roads.graph.weights.empty()) {
    std::vector<Deciseconds> w(m.roads.graph.weights.begin(), m.roads.graph.weights.end());
    auto mid = w.begin() + static_cast<std::ptrdiff_t>(w.size() / 2);
    std::nth_element(w.begin(), mid, w.end());
    typical = *mid;
  }
  const auto half = static_cast<Deciseconds>(std::clamp(typical * 0.5, 1.0, 1.0e6));
  m.bucket_width = std::bit_floor(half);
  m.window = m.bucket_width * 512;
}

std::vector<std::pair<std::uint32_t, Deciseconds>> search_edges(const TravelModel& m, std::uint32_t u) {
  std::vector<std::pair<std::uint32_t, Deciseconds>> out;
  if (u >= m.node_count()) return out;
  if (u < m.cell_nodes() && !(m.pace[u] < INF_F)) return out;
  const MoveTable mt = move_table(m);
  const auto add = [&](std::uint32_t v, Deciseconds w) { out.emplace_back(v, w); };
  const auto keep_all = [](std::uint32_t) { return false; };
  if (m.neighbours == 8)
    expand<8>(m, mt, u, add, keep_all);
  else
    expand<16>(m, mt, u, add, keep_all);
  return out;
}

void run_search(const TravelModel& m, SearchWorkspace& ws, std::span<const Seed> seeds,
                const SearchOptions& opt) {
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

TravelSurface travel_surface(const TravelModel& m, std::span<const core::Vec2> facilities,
                             SearchWorkspace& ws, double limit_s) {
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
  if (std::isfinite(limit_s))
    opt.limit = static_cast<Deciseconds>(std::min(4.0e9, std::max(0.0, limit_s * DS_PER_S)));
  run_search(m, ws, seeds, opt);
  for (int r = 0; r < m.height; ++r) {
    const std::size_t base = m.cell_node(0, r);
    float* so = out.seconds.data.data() + static_cast<std::size_t>(r) * m.width;
    std::int32_t* no = out.nearest.data.data() + static_cast<std::size_t>(r) * m.width;
    for (int c = 0; c < m.width; ++c) {
      const Deciseconds d = ws.dist[base + c];
      if (d != UNREACHED_DS) {
        so[c] = static_cast<float>(d / DS_PER_S);
        no[c] = ws.label[base + c];
      }
    }
  }
  reach_water_cells(m, out);
  return out;
}

void reach_water_cells(const TravelModel& m, TravelSurface& s) {
  if (m.water_cells.empty() || m.water_mask.size() != s.seconds.data.size()) return;
  // Dijkstra over the water cells only, seeded from their passable neighbours.
  using Entry = std::pair<float, std::uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> q;
  const int w = m.width, h = m.height;
  const double straight = m.cell * m.water_reach_pace, diagonal = straight * std::sqrt(2.0);
  auto relax_from = [&](std::uint32_t from, std::uint32_t to, double step) {
    const float t = static_cast<float>(s.seconds.data[from] + step);
    if (t < s.seconds.data[to]) {
      s.seconds.data[to] = t;
      s.nearest.data[to] = s.nearest.data[from];
      q.push({t, to});
    }
  };
  for (const std::uint32_t i : m.water_cells) {
    const int c = static_cast<int>(i % static_cast<std::uint32_t>(w)),
              r = static_cast<int>(i / static_cast<std::uint32_t>(w));
    for (int dr = -1; dr <= 1; ++dr)
      for (int dc = -1; dc <= 1; ++dc) {
        const int cc = c + dc, rr = r + dr;
        if ((dc == 0 && dr == 0) || cc < 0 || rr < 0 || cc >= w || rr >= h) continue;
        const auto j = static_cast<std::uint32_t>(rr * w + cc);
        if (m.water_mask[j] || !std::isfinite(s.seconds.data[j])) continue;
        relax_from(j, i, dc != 0 && dr != 0 ? diagonal : straight);
      }
  }
  while (!q.empty()) {
    const auto [t, i] = q.top();
    q.pop();
    if (t > s.seconds.data[i]) continue;
    const int c = static_cast<int>(i % static_cast<std::uint32_t>(w)),
              r = static_cast<int>(i / static_cast<std::uint32_t>(w));
    for (int dr = -1; dr <= 1; ++dr)
      for (int dc = -1; dc <= 1; ++dc) {
        const int cc = c + dc, rr = r + dr;
        if ((dc == 0 && dr == 0) || cc < 0 || rr < 0 || cc >= w || rr >= h) continue;
        const auto j = static_cast<std::uint32_t>(rr * w + cc);
        if (m.water_mask[j]) relax_from(i, j, dc != 0 && dr != 0 ? diagonal : straight);
      }
  }
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
                                     std::span<const core::Vec2> facilities,
                                     std::span<const int> facility_type, int types, int k) {
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
        if (m.neighbours == 8)
          expand<8>(m, mt, u, expand_one, keep_all);
        else
          expand<16>(m, mt, u, expand_one, keep_all);
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
                                    std::span<const core::Vec2> candidates, double limit_s, int threads,
                                    const std::atomic<bool>* cancel) {
  SparseTimeMatrix out;
  out.candidates = candidates.size();
  out.demands = demand.size();
  const Deciseconds limit = static_cast<Deciseconds>(std::min(4.0e9, std::max(0.0, limit_s * DS_PER_S)));
  std::vector<PointAnchor> da(demand.size());
  for (std::size_t i = 0; i < demand.size(); ++i) da[i] = anchor_point(m, demand[i]);
  // Demand points by the queue tile of their anchor cell, so a search only looks at the points
  // in the tiles it reached: (tile, node, point) sorted, and the first entry of every tile.
  const auto pw = static_cast<std::uint32_t>(m.pw);
  const std::uint32_t tw = (pw + TILE - 1) >> TILE_SHIFT;
  const std::uint32_t grid_tiles = tw * ((static_cast<std::uint32_t>(m.ph) + TILE - 1) >> TILE_SHIFT);
  struct TilePoint {
    std::uint32_t tile, node, point;
    bool operator<(const TilePoint& o) const { return tile != o.tile ? tile < o.tile : point < o.point; }
  };
  std::vector<TilePoint> by_tile;
  for (std::uint32_t i = 0; i < da.size(); ++i)
    if (da[i].ok) by_tile.push_back({cell_tile(da[i].node, pw, tw), da[i].node, i});
  std::sort(by_tile.begin(), by_tile.end());
  std::vector<std::uint32_t> tile_first(grid_tiles + 2, 0);
  for (const auto& e : by_tile) ++tile_first[e.tile + 1];
  for (std::size_t t = 0; t + 1 < tile_first.size(); ++t) tile_first[t + 1] += tile_first[t];
  std::vector<std::vector<std::pair<std::uint32_t, core::ISeconds>>> rows(candidates.size());
  auto work = [&](std::size_t first, std::size_t step) {
    SearchWorkspace ws;
    SearchOptions opt;
    opt.limit = limit;
    for (std::size_t j = first; j < candidates.size(); j += step) {
      if (cancel && cancel->load(std::memory_order_relaxed)) return;
      const auto a = anchor_point(m, candidates[j]);
      if (!a.ok) continue;
      const Seed s{a.node, a.cost, 0};
      run_search(m, ws, std::span<const Seed>(&s, 1), opt);
      auto& row = rows[j];
      auto take = [&](std::uint32_t node, std::uint32_t i) {
        const Deciseconds d = ws.dist[node];
        if (d == UNREACHED_DS) return;
        const auto t = static_cast<std::uint64_t>(d) + da[i].cost;
        if (t <= limit) row.emplace_back(i, to_iseconds(static_cast<Deciseconds>(t)));
      };
      for (const auto t : ws.used_tiles)
        if (t < grid_tiles)
          for (auto e = tile_first[t]; e < tile_first[t + 1]; ++e) take(by_tile[e].node, by_tile[e].point);
      std::sort(row.begin(), row.end());
    }
  };
  const int nt = std::max(1, threads);
  if (nt == 1) {
    work(0, 1);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < nt; ++t)
      pool.emplace_back(work, static_cast<std::size_t>(t), static_cast<std::size_t>(nt));
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

namespace {

/// After a single-facility search in `ws`: the water cells it reaches from the nearest passable
/// cell at `m.water_reach_pace` (as reach_water_cells does for a surface), within `limit_s`,
/// appended to `row` as (seconds, frame cell) where `wanted` allows. `t` is scratch.
void reach_water_within(const TravelModel& m, const SearchWorkspace& ws, double limit_s,
                        std::span<const std::uint8_t> wanted, std::vector<float>& t,
                        std::vector<std::pair<float, std::uint32_t>>& row) {
  const auto& cells = m.water_cells;
  const int w = m.width, h = m.height;
  const double straight = m.cell * m.water_reach_pace, diagonal = straight * std::sqrt(2.0);
  auto index_of = [&](std::uint32_t cell) {
    return static_cast<std::size_t>(std::lower_bound(cells.begin(), cells.end(), cell) - cells.begin());
  };
  using Entry = std::pair<float, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> q;
  t.assign(cells.size(), INF_F);
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const int c = static_cast<int>(cells[k] % static_cast<std::uint32_t>(w)),
              r = static_cast<int>(cells[k] / static_cast<std::uint32_t>(w));
    for (int dr = -1; dr <= 1; ++dr)
      for (int dc = -1; dc <= 1; ++dc) {
        const int cc = c + dc, rr = r + dr;
        if ((dc == 0 && dr == 0) || cc < 0 || rr < 0 || cc >= w || rr >= h) continue;
        if (m.water_mask[static_cast<std::size_t>(rr) * w + cc]) continue;
        const Deciseconds d = ws.dist[m.cell_node(cc, rr)];
        if (d == UNREACHED_DS) continue;
        const float v =
            static_cast<float>(static_cast<float>(d / DS_PER_S) + (dc != 0 && dr != 0 ? diagonal : straight));
        if (v < t[k]) t[k] = v;
      }
    if (t[k] < INF_F) q.push({t[k], k});
  }
  while (!q.empty()) {
    const auto [tk, k] = q.top();
    q.pop();
    if (tk > t[k]) continue;
    const int c = static_cast<int>(cells[k] % static_cast<std::uint32_t>(w)),
              r = static_cast<int>(cells[k] / static_cast<std::uint32_t>(w));
    for (int dr = -1; dr <= 1; ++dr)
      for (int dc = -1; dc <= 1; ++dc) {
        const int cc = c + dc, rr = r + dr;
        if ((dc == 0 && dr == 0) || cc < 0 || rr < 0 || cc >= w || rr >= h) continue;
        const auto j = static_cast<std::uint32_t>(rr * w + cc);
        if (!m.water_mask[j]) continue;
        const std::size_t kj = index_of(j);
        const float v = static_cast<float>(tk + (dc != 0 && dr != 0 ? diagonal : straight));
        if (v < t[kj]) {
          t[kj] = v;
          q.push({v, kj});
        }
      }
  }
  for (std::size_t k = 0; k < cells.size(); ++k)
    if (t[k] <= limit_s && (wanted.empty() || wanted[cells[k]])) row.emplace_back(t[k], cells[k]);
}

}  // namespace

ReachLists facility_reach(const TravelModel& m, std::span<const core::Vec2> facilities, double limit_s,
                          std::span<const std::uint8_t> wanted, int threads) {
  ReachLists out;
  out.facilities = facilities.size();
  out.items = static_cast<std::size_t>(m.width) * static_cast<std::size_t>(m.height);
  const Deciseconds limit =
      static_cast<Deciseconds>(std::min(4.0e9, std::max(0.0, std::ceil(limit_s * DS_PER_S))));
  const auto pw = static_cast<std::uint32_t>(m.pw);
  const std::uint32_t tw = (pw + TILE - 1) >> TILE_SHIFT;
  const std::uint32_t grid_tiles = tw * ((static_cast<std::uint32_t>(m.ph) + TILE - 1) >> TILE_SHIFT);
  std::vector<std::vector<std::pair<float, std::uint32_t>>> rows(facilities.size());
  auto work = [&](std::size_t first, std::size_t step) {
    SearchWorkspace ws;
    SearchOptions opt;
    opt.limit = limit;
    std::vector<float> water_t;
    for (std::size_t j = first; j < facilities.size(); j += step) {
      const auto a = anchor_point(m, facilities[j]);
      if (!a.ok) continue;
      const Seed s{a.node, a.cost, 0};
      run_search(m, ws, std::span<const Seed>(&s, 1), opt);
      auto& row = rows[j];
      for (const auto t : ws.used_tiles) {
        if (t >= grid_tiles) continue;
        const std::uint32_t r0 = (t / tw) << TILE_SHIFT, c0 = (t % tw) << TILE_SHIFT;
        for (std::uint32_t pr = r0; pr < r0 + TILE && pr < static_cast<std::uint32_t>(m.ph); ++pr) {
          const int row_f = static_cast<int>(pr) - 2;
          if (row_f < 0 || row_f >= m.height) continue;
          for (std::uint32_t pc = c0; pc < c0 + TILE && pc < pw; ++pc) {
            const int col_f = static_cast<int>(pc) - 2;
            if (col_f < 0 || col_f >= m.width) continue;
            const Deciseconds d = ws.dist[static_cast<std::size_t>(pr) * pw + pc];
            if (d == UNREACHED_DS || d > limit) continue;
            const auto cell = static_cast<std::uint32_t>(static_cast<std::size_t>(row_f) * m.width + col_f);
            if (!wanted.empty() && !wanted[cell]) continue;
            const auto sec = static_cast<float>(d / DS_PER_S);
            if (sec <= limit_s) row.emplace_back(sec, cell);
          }
        }
      }
      // Water cells (a river bank, a dried lake) are reached from the nearest passable cell, as
      // on a travel surface; the search itself never enters them.
      if (!m.water_cells.empty() && m.water_mask.size() == out.items)
        reach_water_within(m, ws, limit_s, wanted, water_t, row);
      std::sort(row.begin(), row.end());
    }
  };
  const int nt = std::max(1, threads);
  if (nt == 1) {
    work(0, 1);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < nt; ++t)
      pool.emplace_back(work, static_cast<std::size_t>(t), static_cast<std::size_t>(nt));
    for (auto& th : pool) th.join();
  }
  std::size_t total = 0;
  for (const auto& row : rows) total += row.size();
  out.item.reserve(total);
  out.seconds.reserve(total);
  for (const auto& row : rows) {
    for (const auto& [sec, cell] : row) {
      out.item.push_back(cell);
      out.seconds.push_back(sec);
    }
    out.offsets.push_back(static_cast<std::uint32_t>(out.item.size()));
  }
  return out;
}

StopMatrix stop_matrix(const TravelModel& m, std::span<const core::Vec2> stops, bool with_paths,
                       const std::atomic<bool>* cancel) {
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
    if (cancel && cancel->load(std::memory_order_relaxed)) {
      // the remaining rows stay unreachable, with empty paths
      out.path_offsets.resize(n * n + 1, static_cast<std::uint32_t>(out.coords.size()));
      break;
    }
    if (sa[i].ok) {
      const Seed s{sa[i].node, sa[i].cost, 0};
      SearchOptions opt;
      opt.track_pred = with_paths;
      run_search_targets(m, ws, std::span<const Seed>(&s, 1), opt, targets);
    }
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t k = i * n + j;
      path.clear();
      if (sa[i].ok && sa[j].ok && !ws.dist.empty() && ws.dist[sa[j].node] != UNREACHED_DS) {
        if (i == j) {
          out.seconds[k] = 0;
        } else {
          out.seconds[k] = to_iseconds(ws.dist[sa[j].node] + sa[j].cost);
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
              if (std::abs(cross) < 1e-6 * m.cell * m.cell && dot > 0)
                simple.back() = q;
              else
                simple.push_back(q);
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
