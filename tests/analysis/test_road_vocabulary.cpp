// Road vocabulary: OSM highway values, Geofabrik fclass names and codes, non-roads, maxspeed,
// oneway (yes/-1/no and Geofabrik F/T/B, roundabouts), tag rules, the hstore parser of GDAL's
// other_tags, and the one-warning-per-unknown-value rule.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <tuple>

#include "analysis/road_vocabulary.hpp"
#include "analysis/travel_roads.hpp"
#include "core/hstore.hpp"
#include "travel_test_util.hpp"

using namespace kepumap;
using analysis::NotRoad;
using analysis::OneWay;
using analysis::SpeedValue;

namespace {

double class_kmh(const std::string& raw) {
  const auto& t = analysis::default_road_speeds();
  const auto canon = analysis::canonical_road_class(raw, t);
  for (const auto& row : t)
    if (row.name == canon) return row.kmh;
  return -1.0;
}

}  // namespace

TEST_CASE("every vehicle highway value has a documented default speed, links as their parent",
          "[roads][vocabulary]") {
  const std::pair<const char*, double> expected[] = {{"motorway", 100},
                                                     {"motorway_link", 100},
                                                     {"trunk", 80},
                                                     {"trunk_link", 80},
                                                     {"primary", 70},
                                                     {"primary_link", 70},
                                                     {"secondary", 60},
                                                     {"secondary_link", 60},
                                                     {"tertiary", 50},
                                                     {"tertiary_link", 50},
                                                     {"unclassified", 40},
                                                     {"residential", 30},
                                                     {"service", 20},
                                                     {"living_street", 15},
                                                     {"road", 30},
                                                     {"track", 30},
                                                     {"track_grade1", 50},
                                                     {"track_grade2", 40},
                                                     {"track_grade3", 30},
                                                     {"track_grade4", 25},
                                                     {"track_grade5", 20},
                                                     // Geofabrik fclass names and codes.
                                                     {"unknown", 30},
                                                     {"5111", 100},
                                                     {"5112", 80},
                                                     {"5113", 70},
                                                     {"5114", 60},
                                                     {"5115", 50},
                                                     {"5121", 40},
                                                     {"5122", 30},
                                                     {"5123", 15},
                                                     {"5131", 100},
                                                     {"5135", 50},
                                                     {"5141", 20},
                                                     {"5142", 30},
                                                     {"5143", 50},
                                                     {"5147", 20},
                                                     {"5199", 30},
                                                     // The demo data's Chinese classes keep working.
                                                     {"国道", 80},
                                                     {"省道", 70},
                                                     {"县道", 60},
                                                     {"乡道", 50},
                                                     {"G210", 80},
                                                     {"S101", 70},
                                                     {"G303国道", 80},
                                                     {"砂石路", 40},
                                                     {"草原路", 30}};
  for (const auto& [raw, kmh] : expected) {
    INFO(raw);
    CHECK(class_kmh(raw) == kmh);
    CHECK(analysis::not_road(raw) == NotRoad::No);
  }
  // Latin names are never found inside other words.
  CHECK(analysis::canonical_road_class("winter_road", analysis::default_road_speeds()).empty());
  CHECK(analysis::canonical_road_class("track_seasonal", analysis::default_road_speeds()).empty());
  CHECK(analysis::osm_road_class("track", "grade3") == "track_grade3");
  CHECK(analysis::osm_road_class("track", "grade9") == "track");
  CHECK(analysis::osm_road_class("primary", "grade1") == "primary");
}

TEST_CASE("non-vehicle and not-open ways are not roads, and have no speed", "[roads][vocabulary]") {
  for (const char* v : {"footway", "path", "steps", "cycleway", "bridleway", "pedestrian", "corridor",
                        "platform", "busway", "5124", "5151", "5153", "5155", "Footway"}) {
    INFO(v);
    CHECK(analysis::not_road(v) == NotRoad::NotVehicle);
    CHECK(class_kmh(v) < 0);
  }
  for (const char* v : {"construction", "proposed", "abandoned", "disused", "razed"}) {
    INFO(v);
    CHECK(analysis::not_road(v) == NotRoad::NotOpen);
    CHECK(class_kmh(v) < 0);
  }
  // A project that gives one a speed makes it a road.
  const std::vector<std::pair<std::string, double>> over{{"footway", 6.0}};
  const auto table = analysis::road_speed_table(over);
  CHECK(analysis::canonical_road_class("footway", table) == "footway");
}

TEST_CASE("maxspeed: numbers, units, several values, words, plausibility", "[roads][vocabulary]") {
  auto kmh = [](const char* v) {
    const auto s = analysis::parse_maxspeed(v);
    return s.kind == SpeedValue::Kind::Speed ? s.kmh : -1.0;
  };
  CHECK(kmh("60") == 60.0);
  CHECK(kmh(" 80 ") == 80.0);
  CHECK(kmh("60 km/h") == 60.0);
  CHECK(kmh("60kmh") == 60.0);
  CHECK(kmh("40 mph") == Approx(64.37376));
  CHECK(kmh("10 knots") == Approx(18.52));
  CHECK(kmh("60;80") == 60.0);
  CHECK(kmh("80; 50 mph") == Approx(80.0));
  for (const char* none : {"", "none", "signals", "variable", "walk", "CN:rural", "RU:urban", "0", "fast"}) {
    INFO(none);
    CHECK(analysis::parse_maxspeed(none).kind == SpeedValue::Kind::None);
  }
  CHECK(analysis::parse_maxspeed("900").kind == SpeedValue::Kind::Implausible);
  CHECK(analysis::parse_maxspeed("3").kind == SpeedValue::Kind::Implausible);
  CHECK(analysis::parse_maxspeed("-20").kind == SpeedValue::Kind::None);
}

TEST_CASE("oneway: OSM words, Geofabrik F/T/B, roundabouts", "[roads][vocabulary]") {
  for (const char* v : {"yes", "YES", "true", "1", "F", "FT", "forward", "是"}) {
    INFO(v);
    CHECK(analysis::parse_oneway(v) == OneWay::Forward);
  }
  for (const char* v : {"-1", "reverse", "backward", "T", "TF"}) {
    INFO(v);
    CHECK(analysis::parse_oneway(v) == OneWay::Backward);
  }
  for (const char* v : {"no", "false", "0", "B", "", "否"}) {
    INFO(v);
    bool understood = false;
    CHECK(analysis::parse_oneway(v, &understood) == OneWay::Both);
    CHECK(understood);
  }
  bool understood = true;
  CHECK(analysis::parse_oneway("reversible", &understood) == OneWay::Both);
  CHECK_FALSE(understood);
  CHECK(analysis::resolve_oneway("", "roundabout") == OneWay::Forward);
  CHECK(analysis::resolve_oneway("", "circular") == OneWay::Forward);
  CHECK(analysis::resolve_oneway("-1", "roundabout") == OneWay::Backward);
  CHECK(analysis::resolve_oneway("no", "roundabout") == OneWay::Both);
  CHECK(analysis::resolve_oneway("", "") == OneWay::Both);
}

TEST_CASE("Geofabrik T is one-way against the digitised direction in the graph", "[roads][vocabulary]") {
  const core::Vec2 A{0, 0}, B{1000, 0};
  for (const auto& [v, forward, backward] :
       {std::tuple{"F", true, false}, std::tuple{"T", false, true}, std::tuple{"B", true, true}}) {
    analysis::RoadInput in;
    const auto one = test::lines({{A, B}});
    in.lines = &one;
    in.road_class = {"primary"};
    in.oneway = {analysis::parse_oneway(v)};
    const auto net = analysis::build_road_network(in, {});
    core::NodeId a = 0, b = 1;
    if (net.nodes[0].x != 0) std::swap(a, b);
    INFO(v);
    CHECK((analysis::road_one_to_all(net, a)[b] != analysis::UNREACHED_DS) == forward);
    CHECK((analysis::road_one_to_all(net, b)[a] != analysis::UNREACHED_DS) == backward);
  }
}

TEST_CASE("unknown values: left out, one warning per value with its count, non-roads in one line",
          "[roads][vocabulary]") {
  std::vector<std::vector<core::Vec2>> lines;
  std::vector<std::string> cls;
  const char* values[] = {"primary", "weird",        "weird",   "weird", "odd",
                          "footway", "construction", "footway", ""};
  for (std::size_t i = 0; i < std::size(values); ++i) {
    const double x = 1000.0 * static_cast<double>(i);
    lines.push_back({{x, 0}, {x + 1000, 0}});
    cls.emplace_back(values[i]);
  }
  const auto g = test::lines(lines);
  analysis::RoadInput in;
  in.lines = &g;
  in.road_class = cls;
  core::Diagnostics diag;
  const auto net = analysis::build_road_network(in, {}, &diag);
  CHECK(net.feature_used == std::vector<std::uint8_t>{1, 0, 0, 0, 0, 0, 0, 0, 0});
  std::size_t weird = 0, odd = 0, non_roads = 0, no_class = 0;
  for (const auto& p : diag.problems) {
    if (p.what.find("\"weird\" (3 features)") != std::string::npos) ++weird;
    if (p.what.find("\"odd\" (1 features)") != std::string::npos) ++odd;
    if (p.what.find("3 lines are not roads") != std::string::npos &&
        p.what.find("construction 1, footway 2") != std::string::npos)
      ++non_roads;
    if (p.what.find("1 features have no road class") != std::string::npos) ++no_class;
    CHECK(p.what.find("40") == std::string::npos);
  }
  CHECK(weird == 1);
  CHECK(odd == 1);
  CHECK(non_roads == 1);
  CHECK(no_class == 1);
}

TEST_CASE("tag rules: key=value, alternatives, any value, unknown keys", "[roads][vocabulary]") {
  const auto r = analysis::parse_tag_rule("surface=unpaved|Dirt");
  REQUIRE(r);
  CHECK(r->key == "surface");
  CHECK(r->matches("unpaved"));
  CHECK(r->matches(" DIRT "));
  CHECK_FALSE(r->matches("asphalt"));
  CHECK_FALSE(r->matches(""));
  const auto any = analysis::parse_tag_rule("ford=*");
  REQUIRE(any);
  CHECK(any->matches("yes"));
  CHECK_FALSE(any->matches(""));
  std::string why;
  CHECK_FALSE(analysis::parse_tag_rule("surfce=unpaved", &why));
  CHECK(why.find("unknown tag") != std::string::npos);
  CHECK_FALSE(analysis::parse_tag_rule("surface", &why));
  CHECK_FALSE(analysis::parse_tag_rule("surface=", &why));
  CHECK_FALSE(analysis::parse_tag_rule("surface=a||b", &why));
}

TEST_CASE("hstore: GDAL other_tags, escapes, NULL, malformed input, round trip", "[roads][hstore]") {
  std::vector<std::pair<std::string, std::string>> kv;
  CHECK(core::parse_hstore(R"("maxspeed"=>"60","surface"=>"unpaved","name:en"=>"Road \"A\" \\ B")", kv));
  REQUIRE(kv.size() == 3);
  CHECK(kv[0] == std::pair<std::string, std::string>{"maxspeed", "60"});
  CHECK(kv[2].second == "Road \"A\" \\ B");
  CHECK(core::hstore_get(R"("a"=>"1", "b" => "2")", "b") == "2");
  CHECK_FALSE(core::hstore_get(R"("ab"=>"1")", "a"));
  CHECK(core::hstore_get(R"("x"=>"has \"b\"=>\"2\" inside","b"=>"3")", "b") == "3");
  kv.clear();
  CHECK(core::parse_hstore("k=>NULL, j=>v", kv));
  REQUIRE(kv.size() == 2);
  CHECK(kv[0].second.empty());
  CHECK(kv[1].second == "v");
  CHECK(core::parse_hstore("", kv));
  for (const char* bad :
       {R"("a"=>)", R"("a"=>"1)", R"("a" "1")", R"("a"=>"1" "b"=>"2")", R"(=>"1")", "\"a\"=>\"1\\"}) {
    INFO(bad);
    kv.clear();
    CHECK_FALSE(core::parse_hstore(bad, kv));
  }
  kv.clear();
  CHECK_FALSE(core::parse_hstore(R"("a"=>"1",broken)", kv));
  CHECK(kv.size() == 1);  // pairs before the error are kept

  // Random pairs (quotes, backslashes, commas, arrows, spaces, UTF-8) read back unchanged.
  std::mt19937 rng(7);
  const std::string alphabet = "ab=>,\" \\\t\n:_1\xE9\x81\x93";
  for (int iter = 0; iter < 500; ++iter) {
    std::vector<std::pair<std::string, std::string>> pairs(rng() % 5);
    for (auto& [k, v] : pairs) {
      for (std::size_t i = 0, n = rng() % 8; i < n; ++i) k += alphabet[rng() % alphabet.size()];
      for (std::size_t i = 0, n = rng() % 8; i < n; ++i) v += alphabet[rng() % alphabet.size()];
    }
    std::vector<std::pair<std::string, std::string>> back;
    REQUIRE(core::parse_hstore(core::format_hstore(pairs), back));
    CHECK(back == pairs);
  }
}
