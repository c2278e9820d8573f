// [[scenario]] entries written back by edit_project_scenarios (the app's scenario window, then
// 保存): changed keys only, deleted entries gone with their lines, new ones after the last entry,
// every other line (comments, order) as written; the result parses to the scenarios asked for.
#include <catch2/catch.hpp>

#include <string>

#include "io/project.hpp"
#include "io/project_scenarios.hpp"

using namespace kepumap;

namespace {

const char* k_text = R"toml([project]
name = "情景"

# snow on the grassland
[[scenario]]
name = "winter"
label = "冬季（积雪）Winter (snow)"   # the label the app shows
offroad_kmh = 10
road_speeds = { "县道" = 50, "乡道" = 30 }
closed_classes = ["track_seasonal"]

[[scenario]]
name = "thaw"
label = "春季翻浆"
offroad_kmh = 12

# standards follow
[[standard]]
facility = "museum"
minutes = 90
)toml";

core::ProjectConfig parse(const std::string& text, core::Diagnostics& d) {
  return io::parse_project(text, "/tmp/p/project.toml", d);
}

bool same(const core::Scenario& a, const core::Scenario& b) {
  return a.name == b.name && a.label == b.label && a.offroad_kmh == b.offroad_kmh &&
         a.road_speeds == b.road_speeds && a.closed_classes == b.closed_classes &&
         a.closed_tags == b.closed_tags && a.open_tags == b.open_tags && a.tag_speeds == b.tag_speeds &&
         a.landcover_speeds == b.landcover_speeds && a.ice == b.ice;
}

}  // namespace

TEST_CASE("edit_project_scenarios keeps the text when nothing changed", "[io][project][scenario]") {
  core::Diagnostics d;
  const auto cfg = parse(k_text, d);
  REQUIRE_FALSE(d.has_errors());
  REQUIRE(cfg.scenarios.size() == 2);
  CHECK(io::edit_project_scenarios(k_text, cfg, cfg.scenarios) == k_text);
}

TEST_CASE("edit_project_scenarios rewrites changed keys only", "[io][project][scenario]") {
  core::Diagnostics d;
  const auto cfg = parse(k_text, d);
  auto list = cfg.scenarios;
  list[0].offroad_kmh = 8;
  list[0].closed_classes.clear();  // back at its default: the key goes
  list[0].ice = true;              // a key the entry lacks: added after its last key
  const std::string out = io::edit_project_scenarios(k_text, cfg, list);
  core::Diagnostics d2;
  const auto again = parse(out, d2);
  REQUIRE_FALSE(d2.has_errors());
  REQUIRE(again.scenarios.size() == 2);
  CHECK(same(again.scenarios[0], list[0]));
  CHECK(same(again.scenarios[1], list[1]));
  // the user's comments and the untouched lines stay
  CHECK(out.find("# snow on the grassland") != std::string::npos);
  CHECK(out.find("label = \"冬季（积雪）Winter (snow)\"   # the label the app shows") != std::string::npos);
  CHECK(out.find("road_speeds = { \"县道\" = 50, \"乡道\" = 30 }") != std::string::npos);
  CHECK(out.find("offroad_kmh = 8\n") != std::string::npos);
  CHECK(out.find("closed_classes") == std::string::npos);
  CHECK(out.find("# standards follow") != std::string::npos);
}

TEST_CASE("edit_project_scenarios deletes and appends entries", "[io][project][scenario]") {
  core::Diagnostics d;
  const auto cfg = parse(k_text, d);
  std::vector<core::Scenario> list{cfg.scenarios[1]};  // winter deleted
  core::Scenario flood;
  flood.name = "flood";
  flood.label = "汛期 Flood";
  flood.road_speeds = {{"gravel", 15.5}};
  flood.closed_classes = {"track", "乡道"};
  flood.landcover_speeds = {{21, 0}};
  flood.ice = false;
  list.push_back(flood);
  const std::string out = io::edit_project_scenarios(k_text, cfg, list);
  core::Diagnostics d2;
  const auto again = parse(out, d2);
  INFO(out);
  REQUIRE_FALSE(d2.has_errors());
  REQUIRE(again.scenarios.size() == 2);
  CHECK(same(again.scenarios[0], list[0]));
  CHECK(same(again.scenarios[1], flood));
  CHECK(out.find("winter") == std::string::npos);
  CHECK(out.find("track_seasonal") == std::string::npos);
  // the new entry follows the last old one, before the standards and their comment
  CHECK(out.find("name = \"flood\"") > out.find("name = \"thaw\""));
  CHECK(out.find("name = \"flood\"") < out.find("# standards follow"));
  CHECK(again.standards.size() == 1);
}

TEST_CASE("edit_project_scenarios appends to a project without scenarios", "[io][project][scenario]") {
  const std::string text = "[project]\nname = \"无情景\"\n";
  core::Diagnostics d;
  const auto cfg = parse(text, d);
  core::Scenario s;
  s.name = "winter";
  s.offroad_kmh = 10;
  const std::string out = io::edit_project_scenarios(text, cfg, {s});
  core::Diagnostics d2;
  const auto again = parse(out, d2);
  REQUIRE_FALSE(d2.has_errors());
  REQUIRE(again.scenarios.size() == 1);
  CHECK(same(again.scenarios[0], s));
  CHECK(out.rfind("[project]\nname = \"无情景\"\n", 0) == 0);
}
