// project.toml parsing: the schema's full example parses; typos, wrong types, unknown roles
// and missing keys are errors naming the line.
#include <catch2/catch.hpp>

#include <string>

#include "io/project.hpp"

using namespace kepumap;

namespace {

const char* k_full = R"(# demo
[project]
name = "阿巴嘎旗科普资源覆盖规划"
name_en = "Abag Banner science resources"
region = "152522"
crs = "auto"
encoding = ""

[[layer]]
name = "banner"
role = "banner"
source = "abag.gpkg"
layer = "banner"
crs = "EPSG:4490"
encoding = "GB18030"
fields = { name = "name", code = "code", population = "population", pastoral = "pastoral" }

[[layer]]
name = "roads"
role = "road"
source = "/abs/roads.shp"
fields = { road_class = "class", speed = "kmh", oneway = "ow" }

[travel]
cell_size_m = 250
offroad_kmh = 20.5
neighbours = 8
snap_tolerance_m = 15
split_at_crossings = true
road_speeds = { "国道" = 80, "track" = 25 }

[[scenario]]
name = "winter"
label = "冬季（积雪）"
offroad_kmh = 10
road_speeds = { "track" = 15 }
closed_classes = ["track_seasonal"]

[[standard]]
facility = "museum"
minutes = 90
label = "科技馆 90 分钟"

[[standard]]
facility = "caravan"
visits_per_year = 2

[[target]]
id = "caravan_every_soum"
metric = "caravan_visits"
facility = "caravan"
scope = "every_township"
level = ""
threshold = 2
unit = "visits/year"
deadline = 2025
source = "seed 000"
quote = "……"
)";

std::string lines(const core::Diagnostics& d) {
  std::string s;
  for (const auto& p : d.problems) s += p.to_line() + "\n";
  return s;
}

}  // namespace

TEST_CASE("project: the schema's full example parses into ProjectConfig", "[io][project]") {
  core::Diagnostics d;
  auto cfg = io::parse_project(k_full, "/data/abag/project.toml", d);
  INFO(lines(d));
  REQUIRE(d.problems.empty());
  CHECK(cfg.name == "阿巴嘎旗科普资源覆盖规划");
  CHECK(cfg.name_en == "Abag Banner science resources");
  CHECK(cfg.region == "152522");
  CHECK(cfg.analysis_crs == "auto");
  REQUIRE(cfg.layers.size() == 2);
  CHECK(cfg.layers[0].name == "banner");
  CHECK(cfg.layers[0].role == core::Role::Banner);
  CHECK(cfg.layers[0].crs == "EPSG:4490");
  CHECK(cfg.layers[0].encoding == "GB18030");
  CHECK(cfg.layers[0].fields.population == "population");
  CHECK(cfg.layers[0].line == 9);
  CHECK(cfg.layers[1].role == core::Role::Road);
  CHECK(cfg.layers[1].fields.road_class == "class");
  CHECK(cfg.resolve(cfg.layers[0].source) == std::filesystem::path("/data/abag/abag.gpkg"));
  CHECK(cfg.resolve(cfg.layers[1].source) == std::filesystem::path("/abs/roads.shp"));
  CHECK(cfg.travel.cell_size_m == 250);
  CHECK(cfg.travel.offroad_kmh == 20.5);
  CHECK(cfg.travel.neighbours == 8);
  CHECK(cfg.travel.split_at_crossings);
  CHECK(cfg.travel.road_speeds.size() == 2);
  REQUIRE(cfg.scenarios.size() == 1);
  CHECK(cfg.scenarios[0].offroad_kmh.value() == 10);
  CHECK(cfg.scenarios[0].closed_classes == std::vector<std::string>{"track_seasonal"});
  REQUIRE(cfg.standards.size() == 2);
  CHECK(cfg.standards[0].minutes == 90);
  CHECK(cfg.standards[1].visits_per_year == 2);
  REQUIRE(cfg.targets.size() == 1);
  CHECK(cfg.targets[0].threshold == 2);
  CHECK(cfg.targets[0].deadline == 2025);
}

TEST_CASE("project: a misspelt key is an error with its line and a suggestion", "[io][project]") {
  core::Diagnostics d;
  io::parse_project(
      "[project]\nname = \"x\"\n\n[[layer]]\nname = \"b\"\nrole = \"banner\"\nsorce = \"a.gpkg\"\n", "p.toml",
      d);
  const auto s = lines(d);
  INFO(s);
  REQUIRE(d.has_errors());
  CHECK(s.find("error: p.toml:7: layer b: key 'sorce' is not a [[layer]] key (did you mean 'source'?)") !=
        std::string::npos);
  // The required 'source' is then missing too: reported at the [[layer]] line.
  CHECK(s.find("p.toml:4: layer b: a [[layer]] entry lacks the required key 'source'") != std::string::npos);
}

TEST_CASE("project: an unknown role is an error with its line", "[io][project]") {
  core::Diagnostics d;
  io::parse_project(
      "[project]\nname = \"x\"\n[[layer]]\nname = \"m\"\nrole = \"musuem\"\nsource = \"m.csv\"\n", "p.toml",
      d);
  const auto s = lines(d);
  INFO(s);
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].line == 5);
  CHECK(s.find("'musuem' is not a valid role (did you mean 'museum'?)") != std::string::npos);
}

TEST_CASE("project: wrong types, unknown sections, bad values, duplicates", "[io][project]") {
  core::Diagnostics d;
  io::parse_project(R"([project]
name = 5
[travle]
x = 1
[travel]
neighbours = 12
cell_size_m = "500"
[[layer]]
name = "a"
role = "banner"
source = "a.gpkg"
fields = { nmae = "NAME" }
[[layer]]
name = "a"
role = "village"
source = "b.gpkg"
[[target]]
id = "t"
metric = "coverage"
threshold = 0.8
)",
                    "p.toml", d);
  const auto s = lines(d);
  INFO(s);
  CHECK(s.find("p.toml:2: key 'name' must be a string, not an integer") != std::string::npos);
  CHECK(s.find("p.toml:3: 'travle' is not a project section (did you mean 'travel'?)") != std::string::npos);
  CHECK(s.find("p.toml:6: key 'neighbours' must be 8 or 16") != std::string::npos);
  CHECK(s.find("p.toml:7: key 'cell_size_m' must be a number, not a string") != std::string::npos);
  CHECK(s.find("p.toml:12: layer a: key 'nmae' is not a fields key (did you mean 'name'?)") !=
        std::string::npos);
  CHECK(s.find("layer name 'a' is used twice (first at line 8)") != std::string::npos);
  CHECK(s.find("p.toml:19: target t: field metric: 'coverage' is not a valid metric") != std::string::npos);
  CHECK(d.problems.size() == 7);
}

TEST_CASE("project: syntax errors and a missing [project] are reported with a line", "[io][project]") {
  core::Diagnostics d;
  io::parse_project("[project]\nname = \"x\n", "p.toml", d);
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].line == 2);
  CHECK(d.problems[0].what.find("not valid TOML") == 0);

  core::Diagnostics d2;
  io::parse_project("[[layer]]\nname = \"a\"\nrole = \"other\"\nsource = \"x.gpkg\"\n", "p.toml", d2);
  REQUIRE(d2.problems.size() == 1);
  CHECK(d2.problems[0].what.find("[project] section is missing") != std::string::npos);
}

TEST_CASE("project: a missing project file is one clear error", "[io][project]") {
  core::Diagnostics d;
  io::read_project("/nonexistent/dir/project.toml", d);
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].to_line().find("/nonexistent/dir/project.toml: project file not found") !=
        std::string::npos);
}

TEST_CASE("closest_match suggests only plausible typos", "[io][project]") {
  CHECK(io::closest_match("sorce", {"source", "layer", "name"}) == "source");
  CHECK(io::closest_match("Name", {"source", "layer", "name"}) == "name");  // case only
  CHECK(io::closest_match("name", {"source", "layer", "name"}) == "");      // the word itself is no typo
  CHECK(io::closest_match("completely_different", {"source", "layer"}) == "");
}

TEST_CASE("project file: where and tag rules are checked", "[project][osm]") {
  core::Diagnostics diag;
  const auto cfg = io::parse_project(R"([project]
name = "x"

[[layer]]
name = "roads"
role = "road"
source = "roads.osm"
where = "highway <> 'track'"

[travel]
closed_tags = ["ford=yes"]
tag_speeds = { "surface=sand" = 20 }

[[scenario]]
name = "thaw"
open_tags = ["surfce=unpaved"]
tag_speeds = { "surface=unpaved|dirt" = 0, "winter_road" = 5 }
)",
                                     "p.toml", diag);
  REQUIRE(cfg.layers.size() == 1);
  CHECK(cfg.layers[0].where == "highway <> 'track'");
  CHECK(cfg.layers[0].where_line == 8);
  CHECK(cfg.travel.closed_tags == std::vector<std::string>{"ford=yes"});
  CHECK(cfg.travel.tag_speeds.size() == 1);
  std::vector<std::string> errors;
  for (const auto& p : diag.problems)
    if (p.severity == core::Severity::Error) errors.push_back(std::to_string(p.line) + " " + p.what);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].rfind("16 ", 0) == 0);
  CHECK(errors[0].find("did you mean 'surface'") != std::string::npos);
  CHECK(errors[1].find("positive speed") != std::string::npos);
  CHECK(errors[2].find("not key=value") != std::string::npos);
}

TEST_CASE("project: [report] gives the 审图号 and the data sources printed under the maps", "[io][project]") {
  core::Diagnostics d;
  auto cfg = io::parse_project(
      "[project]\nname = \"x\"\n\n[report]\nreview_number = \"蒙S(2025)001号\"\nsources = \"县界 MIT\"\n"
      "sources_en = \"outlines MIT\"\n",
      "p.toml", d);
  INFO(lines(d));
  REQUIRE(d.problems.empty());
  CHECK(cfg.report.review_number == "蒙S(2025)001号");
  CHECK(cfg.report.sources == "县界 MIT");
  CHECK(cfg.report.sources_en == "outlines MIT");
  core::Diagnostics bad;
  io::parse_project("[project]\nname = \"x\"\n[report]\nreview = \"1\"\n", "p.toml", bad);
  CHECK(lines(bad).find("p.toml:4") != std::string::npos);
  CHECK(io::parse_project("[project]\nname = \"x\"\n", "p.toml", d).report.review_number.empty());
}
