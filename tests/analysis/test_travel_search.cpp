// The tiled search queue against a textbook Dijkstra (binary heap) over the very same graph
// (search_edges): every cost equal on grids much larger than one 64 x 64 queue tile, with
// roads, barriers, several seeds, limits, pruning, reused workspaces and any queue tuning.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <queue>

#include "analysis/travel.hpp"
#include "travel_test_util.hpp"

using namespace kepumap;

namespace {

// Costs from the seeds over search_edges; UNREACHED_DS where unreachable or beyond `limit`.
std::vector<analysis::Deciseconds> reference(const analysis::TravelModel& m,
                                             std::span<const analysis::Seed> seeds,
                                             analysis::Deciseconds limit = analysis::UNREACHED_DS - 1,
                                             const analysis::Deciseconds* prune = nullptr) {
  std::vector<std::uint64_t> d(m.node_count(), ~0ull);
  using Item = std::pair<std::uint64_t, std::uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
  for (const auto& s : seeds)
    if (s.cost < d[s.node]) {
      d[s.node] = s.cost;
      q.push({s.cost, s.node});
    }
  while (!q.empty()) {
    const auto [du, u] = q.top();
    q.pop();
    if (du != d[u]) continue;
    if (prune && u < m.cell_nodes() && du >= prune[u]) continue;
    for (const auto& [v, w] : analysis::search_edges(m, u))
      if (du + w < d[v]) {
        d[v] = du + w;
        q.push({d[v], v});
      }
  }
  std::vector<analysis::Deciseconds> out(d.size());
  for (std::size_t v = 0; v < d.size(); ++v)
    out[v] = d[v] <= limit ? static_cast<analysis::Deciseconds>(d[v]) : analysis::UNREACHED_DS;
  return out;
}

// A 300 x 200 world of 250 m cells (about 5 x 4 queue tiles): speeds 6-60 km/h at random,
// lakes, a wall with one gap, and three roads.
struct World {
  analysis::RoadNetwork net;
  core::GridF pace;
};

World world() {
  World w;
  const int cw = 300, ch = 200;
  const double cell = 250.0;
  test::Lcg rng(11);
  w.pace = core::GridF(cw, ch, 0.0, ch * cell, cell, 0.0f);
  for (auto& p : w.pace.data) p = static_cast<float>(1.0 / core::mps(rng.uniform(6.0, 60.0)));
  for (int k = 0; k < 25; ++k) {
    const int cx = rng.below(cw), cy = rng.below(ch), rad = 2 + rng.below(8);
    for (int r = std::max(0, cy - rad); r < std::min(ch, cy + rad); ++r)
      for (int c = std::max(0, cx - rad); c < std::min(cw, cx + rad); ++c)
        if ((r - cy) * (r - cy) + (c - cx) * (c - cx) < rad * rad) w.pace.at(c, r) = analysis::IMPASSABLE;
  }
  for (int r = 0; r < ch; ++r)
    if (r < 90 || r > 93) w.pace.at(150, r) = analysis::IMPASSABLE;  // a wall with one gap
  static const auto roads = test::lines({{{1000, 1000}, {70'000, 45'000}},
                                         {{2000, 40'000}, {74'000, 38'000}},
                                         {{30'000, 2000}, {31'000, 49'000}}});
  analysis::RoadInput ri;
  ri.lines = &roads;
  ri.road_class = {"国道", "县道", "乡道"};
  w.net = analysis::build_road_network(ri, {});
  return w;
}

std::vector<analysis::Seed> seeds_for(const analysis::TravelModel& m, std::uint64_t seed, int n) {
  test::Lcg rng(seed);
  std::vector<analysis::Seed> s;
  while (static_cast<int>(s.size()) < n) {
    const auto a = analysis::anchor_point(m, {rng.uniform(100, 74'900), rng.uniform(100, 49'900)});
    if (a.ok) s.push_back({a.node, a.cost, static_cast<std::int32_t>(s.size())});
  }
  return s;
}

std::size_t mismatches(const std::vector<analysis::Deciseconds>& got,
                       const std::vector<analysis::Deciseconds>& want) {
  std::size_t bad = 0;
  for (std::size_t v = 0; v < want.size(); ++v) bad += got[v] != want[v];
  return bad;
}

}  // namespace

TEST_CASE("tiled search: every cost equals a plain Dijkstra over the same graph", "[travel][search]") {
  const auto w = world();
  for (int nb : {8, 16}) {
    INFO(nb << " moves");
    const auto m = analysis::build_travel_model(w.pace, w.net, nb);
    REQUIRE(m.roads.nodes.size() > 100);
    REQUIRE(m.cell_nodes() > 4 * 64 * 64);
    const auto seeds = seeds_for(m, 5, 7);
    const auto want = reference(m, seeds);
    analysis::SearchWorkspace ws;
    analysis::run_search(m, ws, seeds, {});
    CHECK(mismatches(ws.dist, want) == 0);
    // Both sides of the wall are reached, through the gap; the road nodes too.
    std::size_t reached = 0;
    for (auto d : want) reached += d != analysis::UNREACHED_DS;
    CHECK(reached > m.cell_nodes() * 8 / 10);
    // The label of every node is a seed from which that node's cost is attained.
    std::vector<std::vector<analysis::Deciseconds>> single;
    for (const auto& s : seeds) single.push_back(reference(m, std::span<const analysis::Seed>(&s, 1)));
    std::size_t bad_label = 0;
    for (std::size_t v = 0; v < want.size(); ++v) {
      if (want[v] == analysis::UNREACHED_DS) continue;
      const auto l = ws.label[v];
      if (l < 0 || l >= static_cast<int>(seeds.size()) || single[static_cast<std::size_t>(l)][v] != want[v])
        ++bad_label;
    }
    CHECK(bad_label == 0);
  }
}

TEST_CASE("tiled search: the queue's tuning changes nothing but speed", "[travel][search]") {
  const auto w = world();
  auto m = analysis::build_travel_model(w.pace, w.net, 16);
  const auto seeds = seeds_for(m, 9, 4);
  const auto want = reference(m, seeds);
  const analysis::Deciseconds tuned_w = m.bucket_width, tuned_win = m.window;
  CHECK(tuned_w > 1);
  CHECK((tuned_w & (tuned_w - 1)) == 0);
  // Dial's one-unit buckets with a one-bucket window; very wide buckets; a huge window.
  for (auto [bw, win] : {std::pair<analysis::Deciseconds, analysis::Deciseconds>{1, 1},
                         {tuned_w * 64, tuned_w * 64},
                         {tuned_w, 1u << 30},
                         {tuned_w, tuned_win}}) {
    INFO("bucket " << bw << " window " << win);
    m.bucket_width = bw;
    m.window = win;
    analysis::SearchWorkspace ws;
    analysis::run_search(m, ws, seeds, {});
    CHECK(mismatches(ws.dist, want) == 0);
  }
}

TEST_CASE("tiled search: limits, pruning and a reused workspace", "[travel][search]") {
  const auto w = world();
  const auto m = analysis::build_travel_model(w.pace, w.net, 16);
  analysis::SearchWorkspace ws;
  // A bounded search from one seed, then a different one in the same workspace: nothing of
  // the first may remain.
  const auto a = seeds_for(m, 21, 1);
  const auto b = seeds_for(m, 22, 1);
  analysis::SearchOptions bounded;
  bounded.limit = 20 * 60 * 10;  // 20 minutes
  analysis::run_search(m, ws, a, bounded);
  CHECK(mismatches(ws.dist, reference(m, a, bounded.limit)) == 0);
  std::size_t inside = 0;
  for (auto d : ws.dist) inside += d != analysis::UNREACHED_DS;
  CHECK(inside > 100);
  CHECK(inside < m.node_count() / 4);
  analysis::run_search(m, ws, b, bounded);
  CHECK(mismatches(ws.dist, reference(m, b, bounded.limit)) == 0);
  // Unbounded after bounded, with predecessors: costs equal, and every predecessor is an edge
  // that attains the cost.
  analysis::SearchOptions with_pred;
  with_pred.track_pred = true;
  analysis::run_search(m, ws, a, with_pred);
  const auto want = reference(m, a);
  CHECK(mismatches(ws.dist, want) == 0);
  std::size_t bad_pred = 0;
  for (std::uint32_t v = 0; v < want.size(); ++v) {
    if (want[v] == analysis::UNREACHED_DS || v == a[0].node) continue;
    const auto u = ws.pred[v];
    bool ok = false;
    if (u != core::INVALID_ID)
      for (const auto& [x, wt] : analysis::search_edges(m, u)) ok = ok || (x == v && want[u] + wt == want[v]);
    bad_pred += !ok;
  }
  CHECK(bad_pred == 0);
  // Pruned: a cell whose cost reaches its prune bound is not expanded.
  std::vector<analysis::Deciseconds> prune(m.cell_nodes(), analysis::UNREACHED_DS);
  for (std::size_t v = 0; v < prune.size(); v += 3) prune[v] = 9000;  // every third cell stops at 15 min
  analysis::SearchOptions pruned;
  pruned.prune = prune.data();
  analysis::run_search(m, ws, b, pruned);
  CHECK(mismatches(ws.dist, reference(m, b, analysis::UNREACHED_DS - 1, prune.data())) == 0);
}

TEST_CASE("tiled search: a limit at UNREACHED_DS ends, costs near the top are kept", "[travel][search]") {
  const core::GridF g(4, 4, 0.0, 400.0, 100.0, 0.1f);
  const auto m = analysis::build_travel_model(g, {}, 8);
  analysis::SearchWorkspace ws;
  analysis::SearchOptions opt;
  opt.limit = analysis::UNREACHED_DS;  // no cost equals it: the same as no limit
  const analysis::Seed s{m.cell_node(1, 1), analysis::UNREACHED_DS - 1000, 0};
  analysis::run_search(m, ws, std::span<const analysis::Seed>(&s, 1), opt);
  CHECK(mismatches(ws.dist, reference(m, std::span<const analysis::Seed>(&s, 1))) == 0);
  CHECK(ws.dist[m.cell_node(1, 1)] == analysis::UNREACHED_DS - 1000);
  CHECK(ws.dist[m.cell_node(2, 1)] > analysis::UNREACHED_DS - 1000);
  // A seed on the impassable padding or beyond the graph starts nothing.
  const analysis::Seed bad[] = {{0, 0, 1}, {static_cast<std::uint32_t>(m.node_count() + 5), 0, 2}};
  analysis::run_search(m, ws, bad, {});
  CHECK(std::count(ws.dist.begin(), ws.dist.end(), analysis::UNREACHED_DS) ==
        static_cast<std::ptrdiff_t>(ws.dist.size()));
}

TEST_CASE("tiled search: one workspace across two models of the same size and width", "[travel][search]") {
  // A: 6 x 6 cells (10 x 10 padded) and 30 road nodes off the grid; B: 6 x 9 cells (10 x 13
  // padded), no roads: both 130 nodes, same width, same tile count. B's lower rows have the
  // ids of A's road nodes, so a reset that only knew A's shape would leave them stale.
  const core::GridF ga(6, 6, 0.0, 600.0, 100.0, 0.1f);
  auto a = analysis::build_travel_model(ga, {}, 8);
  a.roads.nodes.assign(30, core::Vec2{-5000, -5000});
  a.roads.graph.offsets.assign(31, 0);
  a.node_link.assign(30, core::INVALID_ID);
  const core::GridF gb(6, 9, 0.0, 900.0, 100.0, 0.1f);
  const auto b = analysis::build_travel_model(gb, {}, 8);
  REQUIRE(a.node_count() == b.node_count());
  REQUIRE(a.pw == b.pw);
  analysis::SearchWorkspace ws;
  const analysis::Seed sb{b.cell_node(0, 0), 0, 1};
  analysis::run_search(b, ws, std::span<const analysis::Seed>(&sb, 1), {});
  CHECK(mismatches(ws.dist, reference(b, std::span<const analysis::Seed>(&sb, 1))) == 0);
  const analysis::Seed sa{static_cast<std::uint32_t>(a.cell_nodes() + 29), 0, 2};  // an isolated road node
  analysis::run_search(a, ws, std::span<const analysis::Seed>(&sa, 1), {});
  CHECK(mismatches(ws.dist, reference(a, std::span<const analysis::Seed>(&sa, 1))) == 0);
}
