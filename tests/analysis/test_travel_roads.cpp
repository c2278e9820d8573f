// Road network: snapping, noding, speeds, one-way, components, and Dijkstra against a reference.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "analysis/travel.hpp"
#include "analysis/travel_roads.hpp"
#include "travel_test_util.hpp"

using namespace kepumap;
using analysis::Deciseconds;
using analysis::UNREACHED_DS;

namespace {

analysis::RoadNetwork net_of(const core::Geometries& g, std::vector<std::string> cls,
                             analysis::RoadOptions opt = {}, core::Diagnostics* diag = nullptr,
                             std::vector<analysis::OneWay> oneway = {}) {
  analysis::RoadInput in;
  in.lines = &g;
  in.road_class = std::move(cls);
  in.oneway = std::move(oneway);
  return analysis::build_road_network(in, opt, diag);
}

core::NodeId node_at(const analysis::RoadNetwork& n, core::Vec2 p) {
  for (core::NodeId i = 0; i < n.nodes.size(); ++i)
    if (test::dist(n.nodes[i], p) < 1e-6) return i;
  return core::INVALID_ID;
}

// Reference shortest paths: Bellman-Ford over the CSR edges (no heap, no buckets).
std::vector<std::uint64_t> bellman_ford(const analysis::RoadNetwork& n, core::NodeId s) {
  const std::uint64_t inf = ~0ull;
  std::vector<std::uint64_t> d(n.nodes.size(), inf);
  d[s] = 0;
  for (std::size_t it = 0; it < n.nodes.size(); ++it) {
    bool changed = false;
    for (core::NodeId u = 0; u < n.nodes.size(); ++u) {
      if (d[u] == inf) continue;
      for (auto e = n.graph.offsets[u]; e < n.graph.offsets[u + 1]; ++e)
        if (d[u] + n.graph.weights[e] < d[n.graph.targets[e]]) {
          d[n.graph.targets[e]] = d[u] + n.graph.weights[e];
          changed = true;
        }
    }
    if (!changed) break;
  }
  return d;
}

}  // namespace

TEST_CASE("road classes: canonical names, route numbers, overrides", "[travel][roads]") {
  const auto& t = analysis::default_road_speeds();
  CHECK(analysis::canonical_road_class("国道", t) == "国道");
  CHECK(analysis::canonical_road_class("G210", t) == "国道");
  CHECK(analysis::canonical_road_class(" National ", t) == "国道");
  CHECK(analysis::canonical_road_class("S101", t) == "省道");
  CHECK(analysis::canonical_road_class("X905", t) == "县道");
  CHECK(analysis::canonical_road_class("乡道", t) == "乡道");
  CHECK(analysis::canonical_road_class("砂石路", t) == "gravel");
  CHECK(analysis::canonical_road_class("track", t) == "track");
  CHECK(analysis::canonical_road_class("草原路", t) == "track");
  CHECK(analysis::canonical_road_class("G303国道", t) == "国道");
  CHECK(analysis::canonical_road_class("footpath", t).empty());

  const std::vector<std::pair<std::string, double>> over{{"track", 12.0}, {"winter_road", 20.0}};
  const auto table = analysis::road_speed_table(over);
  for (const auto& row : table) {
    if (row.name == "track") CHECK(row.kmh == 12.0);
    if (row.name == "国道") CHECK(row.kmh == 80.0);
  }
  CHECK(analysis::canonical_road_class("winter_road", table) == "winter_road");

  CHECK(analysis::parse_oneway("yes") == analysis::OneWay::Forward);
  CHECK(analysis::parse_oneway("-1") == analysis::OneWay::Backward);
  CHECK(analysis::parse_oneway("no") == analysis::OneWay::Both);
}

TEST_CASE("road network: known times on a small drawn graph", "[travel][roads]") {
  //   A ---- 国道 1000 m ---- B
  //                           |
  //                         乡道 1000 m
  //                           |
  //                           C
  const core::Vec2 A{0, 0}, B{1000, 0}, C{1000, -1000};
  const auto g = test::lines({{A, B}, {B, C}});
  const auto net = net_of(g, {"国道", "乡道"});
  REQUIRE(net.nodes.size() == 3);
  CHECK(net.graph.edge_count() == 4);
  CHECK(net.component_count() == 1);
  const auto d = analysis::road_one_to_all(net, node_at(net, A));
  // 1000 m at 80 km/h = 45 s = 450 ds; 1000 m at 50 km/h = 72 s = 720 ds.
  CHECK(d[node_at(net, B)] == 450);
  CHECK(d[node_at(net, C)] == 450 + 720);

  // A speed field beats the class.
  analysis::RoadInput in;
  in.lines = &g;
  in.road_class = {"国道", "乡道"};
  in.speed_kmh = {36.0, std::nan("")};
  const auto net2 = analysis::build_road_network(in, {});
  const auto d2 = analysis::road_one_to_all(net2, node_at(net2, A));
  CHECK(d2[node_at(net2, B)] == 1000);  // 1000 m at 10 m/s
  CHECK(d2[node_at(net2, C)] == 1000 + 720);
}

TEST_CASE("road network: ends snap within the tolerance, pieces are reported", "[travel][roads]") {
  const auto near = test::lines({{{0, 0}, {1000, 0}}, {{1005, 3}, {2000, 0}}});
  CHECK(net_of(near, {"县道", "县道"}).component_count() == 1);

  const auto far = test::lines({{{0, 0}, {1000, 0}}, {{1050, 0}, {2000, 0}}});
  core::Diagnostics diag;
  const auto net = net_of(far, {"县道", "县道"}, {}, &diag);
  CHECK(net.component_count() == 2);
  REQUIRE(diag.problems.size() == 1);
  CHECK(diag.problems[0].what.find("not connected") != std::string::npos);
  CHECK(diag.problems[0].feature == 1);
}

TEST_CASE("road network: an end near the middle of a segment joins it (T-junction)", "[travel][roads]") {
  // Main road along y=0; a side road ends 8 m north of its middle, where it has no vertex.
  const auto g = test::lines({{{0, 0}, {2000, 0}}, {{1000, 8}, {1000, 1000}}});
  const auto net = net_of(g, {"省道", "乡道"});
  CHECK(net.component_count() == 1);
  CHECK(net.nodes.size() == 4);
  const auto d = analysis::road_one_to_all(net, node_at(net, {0, 0}));
  const auto top = node_at(net, {1000, 1000});
  REQUIRE(top != core::INVALID_ID);
  CHECK(d[top] != UNREACHED_DS);
}

TEST_CASE("road network: crossings are noded only when asked", "[travel][roads]") {
  const auto g = test::lines({{{0, 0}, {1000, 1000}}, {{0, 1000}, {1000, 0}}});
  analysis::RoadOptions opt;
  opt.snap_tolerance_m = 0;
  CHECK(net_of(g, {"乡道", "乡道"}, opt).component_count() == 2);
  opt.split_at_crossings = true;
  const auto net = net_of(g, {"乡道", "乡道"}, opt);
  CHECK(net.component_count() == 1);
  CHECK(net.nodes.size() == 5);
  CHECK(node_at(net, {500, 500}) != core::INVALID_ID);
}

TEST_CASE("road network: one-way roads are travelled one way only", "[travel][roads]") {
  const auto g = test::lines({{{0, 0}, {1000, 0}}, {{1000, 0}, {2000, 0}}});
  const auto net =
      net_of(g, {"乡道", "乡道"}, {}, nullptr, {analysis::OneWay::Forward, analysis::OneWay::Backward});
  const auto a = node_at(net, {0, 0}), b = node_at(net, {1000, 0}), c = node_at(net, {2000, 0});
  const auto from_a = analysis::road_one_to_all(net, a);
  CHECK(from_a[b] != UNREACHED_DS);
  CHECK(from_a[c] == UNREACHED_DS);
  const auto from_c = analysis::road_one_to_all(net, c);
  CHECK(from_c[b] != UNREACHED_DS);
  CHECK(from_c[a] == UNREACHED_DS);
}

TEST_CASE("road network: closed classes and unknown classes", "[travel][roads]") {
  const auto g = test::lines({{{0, 0}, {1000, 0}}, {{1000, 0}, {2000, 0}}, {{2000, 0}, {3000, 0}}});
  analysis::RoadOptions opt;
  opt.closed_classes = {"草原路"};  // closes class "track" by its alias
  core::Diagnostics diag;
  const auto net = net_of(g, {"国道", "track", "footpath"}, opt, &diag);
  // An unknown class is left out (never a default speed), and said once.
  CHECK(net.feature_used == std::vector<std::uint8_t>{1, 0, 0});
  CHECK(net.component_count() == 1);
  std::size_t unknown_reported = 0;
  for (const auto& p : diag.problems)
    if (p.what.find("\"footpath\"") != std::string::npos && p.what.find("left out") != std::string::npos)
      ++unknown_reported;
  CHECK(unknown_reported == 1);
  // A "*" speed in the project's road_speeds is the speed of unknown classes.
  core::TravelSettings s;
  s.road_speeds = {{"*", 36.0}};
  auto opt2 = analysis::road_options(s);
  opt2.closed_classes = {"草原路"};
  const auto net2 = net_of(g, {"国道", "track", "footpath"}, opt2);
  CHECK(net2.feature_used == std::vector<std::uint8_t>{1, 0, 1});
}

TEST_CASE("road network: Dijkstra equals a reference on random graphs", "[travel][roads]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    test::Lcg rng(seed);
    std::vector<std::vector<core::Vec2>> pl;
    std::vector<std::string> cls;
    std::vector<analysis::OneWay> ow;
    const char* classes[] = {"国道", "省道", "县道", "乡道", "gravel", "track"};
    // Points on a 6x6 lattice (so lines share vertices), random lines between them.
    for (int i = 0; i < 40; ++i) {
      std::vector<core::Vec2> line;
      const int len = 2 + rng.below(3);
      for (int k = 0; k < len; ++k) line.push_back({rng.below(6) * 700.0, rng.below(6) * 700.0});
      pl.push_back(line);
      cls.push_back(classes[rng.below(6)]);
      ow.push_back(rng.below(5) == 0 ? analysis::OneWay::Forward : analysis::OneWay::Both);
    }
    const auto g = test::lines(pl);
    const auto net = net_of(g, cls, {}, nullptr, ow);
    REQUIRE(net.nodes.size() > 1);
    const auto src = static_cast<core::NodeId>(rng.below(static_cast<int>(net.nodes.size())));
    const auto ref = bellman_ford(net, src);
    const auto got = analysis::road_one_to_all(net, src);
    for (std::size_t v = 0; v < ref.size(); ++v) {
      if (ref[v] == ~0ull)
        CHECK(got[v] == UNREACHED_DS);
      else
        CHECK(got[v] == ref[v]);
    }

    // The combined engine's bucket queue on the same graph: a grid with no passable cell,
    // so only road edges count; the seed is the road node itself.
    core::GridF blocked(2, 2, 0.0, 4200.0, 2100.0, analysis::IMPASSABLE);
    auto model = analysis::build_travel_model(blocked, {}, 16);
    model.roads = net;
    model.node_link.assign(net.nodes.size(), core::INVALID_ID);
    for (auto w : net.graph.weights) model.max_edge = std::max(model.max_edge, w);
    analysis::SearchWorkspace ws;
    const analysis::Seed seed_node{static_cast<std::uint32_t>(model.cell_nodes() + src), 0, 7};
    analysis::run_search(model, ws, std::span<const analysis::Seed>(&seed_node, 1), {});
    for (std::size_t v = 0; v < ref.size(); ++v) {
      const auto d = ws.dist[model.cell_nodes() + v];
      if (ref[v] == ~0ull)
        CHECK(d == UNREACHED_DS);
      else {
        CHECK(d == ref[v]);
        CHECK(ws.label[model.cell_nodes() + v] == 7);
      }
    }
  }
}

TEST_CASE("scenarios override speeds and close classes", "[travel][roads]") {
  core::TravelSettings base;
  base.offroad_kmh = 25;
  base.road_speeds = {{"乡道", 45.0}};
  core::Scenario winter;
  winter.name = "winter";
  winter.offroad_kmh = 10.0;
  winter.road_speeds = {{"乡道", 30.0}};
  winter.closed_classes = {"track"};
  const auto s = analysis::apply_scenario(base, winter);
  CHECK(s.offroad_kmh == 10.0);
  CHECK(s.closed_classes == std::vector<std::string>{"track"});
  const auto opt = analysis::road_options(s);
  for (const auto& row : opt.speeds)
    if (row.name == "乡道") CHECK(row.kmh == 30.0);  // the scenario's override is applied last
}

TEST_CASE("scenario speeds beat the speed field - an unrelated closed class closes nothing else",
          "[travel][roads]") {
  const auto g = test::lines({{{0, 0}, {1000, 0}}, {{1000, 0}, {2000, 0}}});
  analysis::RoadInput in;
  in.lines = &g;
  in.road_class = {"track", "track_seasonal"};
  in.speed_kmh = {25.0, 25.0};
  core::TravelSettings base;
  core::Scenario winter;
  winter.road_speeds = {{"track", 15.0}};
  winter.closed_classes = {"track_seasonal"};
  const auto summer_net = analysis::build_road_network(in, analysis::road_options(base));
  CHECK(summer_net.feature_used == std::vector<std::uint8_t>{1, 1});
  const auto net =
      analysis::build_road_network(in, analysis::road_options(analysis::apply_scenario(base, winter)));
  CHECK(net.feature_used == std::vector<std::uint8_t>{1, 0});
  const auto d = analysis::road_one_to_all(net, node_at(net, {0, 0}));
  CHECK(d[node_at(net, {1000, 0})] == 2400);  // 1000 m at 15 km/h = 240 s, not 144 s at the field's 25
}
