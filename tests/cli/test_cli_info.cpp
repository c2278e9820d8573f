// `kepumap info` through the real binary: good data exits 0 with the report; every bad input
// exits 2 with one clear line per problem on stderr.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "cli_run.hpp"
#include "core/json.hpp"
#include "io/io_test_util.hpp"
#include "io/shp_test_util.hpp"
#include "skip.hpp"

using namespace kepumap;
using test::contains;
using test::line_count;
using test::run_kepumap;
using test::ScratchDir;
using test::shell_quote;

namespace {

/// Every stderr line is one problem line ("error: ..." or "warning: ...").
bool all_problem_lines(const std::string& err) {
  std::size_t start = 0;
  while (start < err.size()) {
    const std::size_t end = err.find('\n', start);
    const std::string line = err.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (line.rfind("error: ", 0) != 0 && line.rfind("warning: ", 0) != 0) return false;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return true;
}

/// Runs info on `file` and checks: exit 2, stderr non-empty, one problem per line, containing `expect`.
void expect_bad(const std::string& file, const std::string& expect, const std::string& extra = {}) {
  auto r = run_kepumap("info " + shell_quote(file) + extra);
  INFO("stdout:\n" << r.out << "stderr:\n" << r.err);
  CHECK(r.exit_code == 2);
  CHECK_FALSE(r.err.empty());
  CHECK(all_problem_lines(r.err));
  CHECK(contains(r.err, expect));
}

}  // namespace

TEST_CASE("cli info: Inner Mongolia counties, text and JSON", "[cli][info]") {
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("../shared/data absent: skipped");
  }
  const auto file = (test::shared_data() / "boundaries/inner_mongolia_counties.geojson").string();
  auto r = run_kepumap("info " + shell_quote(file));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(contains(r.out, "features:      103 (read 103, dropped 0)"));
  CHECK(contains(r.out, "repaired:      73 (features "));
  CHECK(contains(r.out, "source CRS:    EPSG:4326"));
  CHECK(contains(r.out, "Analysis CRS: Albers"));
  CHECK(contains(r.out, "extent:        97.1729 .. 126.0762 E, 37.4072 .. 53.3379 N"));
  CHECK(contains(r.out, "first feature: name=阿拉善左旗"));

  auto j = run_kepumap("info " + shell_quote(file) + " --json");
  REQUIRE(j.exit_code == 0);
  const auto v = core::parse_json(j.out);
  CHECK(v.find("ok")->boolean);
  CHECK(contains(v.find("analysis_crs")->string, "+proj=aea"));
  const auto& layers = v.find("layers")->array;
  REQUIRE(layers.size() == 1);
  CHECK(layers[0].find("features")->number == 103);
  CHECK(layers[0].find("repaired")->array.size() == 73);
  CHECK(layers[0].find("kind")->string == "polygon");
  CHECK(layers[0].find("extent_lonlat")->array[0].number == Approx(97.1729).margin(1e-3));
}

TEST_CASE("cli info: TopoJSON needs --layer - with it the layer loads", "[cli][info]") {
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("../shared/data absent: skipped");
  }
  const auto file = (test::shared_data() / "borders/countries-50m.topojson").string();
  auto r = run_kepumap("info " + shell_quote(file) + " --layer countries");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "driver:        TopoJSON"));
  expect_bad(file, "no layer 'contries' in the source (did you mean 'countries'?)", " --layer contries");
}

TEST_CASE("cli info: bad inputs exit 2 with one line per problem", "[cli][info][bad]") {
  ScratchDir dir("cli-bad");
  SECTION("missing file") {
    auto r = run_kepumap("info " + shell_quote(dir.file("nothing.gpkg")));
    CHECK(r.exit_code == 2);
    CHECK(r.err == "error: " + dir.file("nothing.gpkg") + ": file not found (文件不存在)\n");
    CHECK(r.out.empty());
  }
  SECTION("truncated .shp") {
    const auto shp = dir.file("cut.shp");
    test::write_squares_shp(shp, 200, {"a"}, nullptr, 4326);
    std::filesystem::resize_file(shp, std::filesystem::file_size(shp) * 2 / 3);
    expect_bad(shp, "damaged");
  }
  SECTION("garbage in a .gpkg") {
    expect_bad(dir.write("junk.gpkg", std::string(3000, '\x5a')), "cannot open: the file is damaged");
  }
  SECTION("empty layer") {
    expect_bad(dir.write("empty.geojson", R"({"type":"FeatureCollection","features":[]})"),
               "layer empty: the layer is empty");
  }
  SECTION("NULL geometries") {
    const auto f = dir.write("nulls.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[114.5,44.0]}},
{"type":"Feature","properties":{},"geometry":null}]})");
    expect_bad(f, "warning: " + f + ": layer nulls: feature 1: no geometry (NULL), dropped");
  }
  SECTION("NaN and infinite coordinates") {
    const auto f = dir.write("nan.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[114.5,44.0]}},
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[114.5,Infinity]}},
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN,44.0]}}]})");
    expect_bad(f, "layer nan: feature 1: NaN or infinite coordinates, dropped");
    expect_bad(f, "layer nan: feature 2: NaN or infinite coordinates, dropped");
  }
  SECTION("mixed geometry types") {
    const auto f = dir.write("mixed.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[114.5,44.0]}},
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[114,44],[115,44],[115,45],[114,44]]]}}]})");
    expect_bad(f, "error: " + f + ": layer mixed: feature 1: mixed geometry types in one layer");
  }
  SECTION("coordinates out of range") {
    const auto f = dir.write("far.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[114.5,144.0]}}]})");
    expect_bad(f, "layer far: feature 0: coordinates out of longitude/latitude range");
  }
  SECTION("CSV with no coordinate columns") {
    expect_bad(dir.write("sites.csv", "名称,地址\n科技馆,别力古台镇\n"), "error: " + dir.file("sites.csv"));
  }
  SECTION("no CRS and not longitude/latitude") {
    const auto shp = dir.file("metres.shp");
    test::write_squares_shp(shp, 2, {"a"}, nullptr, 0, 500000.0, 4800000.0, 1000.0);
    expect_bad(shp, "field crs: the source has no CRS and its coordinates are not longitude/latitude");
  }
  SECTION("project with a misspelt key") {
    const auto toml = dir.write(
        "project.toml",
        "[project]\nname = \"x\"\n\n[[layer]]\nname = \"b\"\nrole = \"banner\"\nsorce = \"a.gpkg\"\n");
    expect_bad(toml,
               "error: " + toml + ":7: layer b: key 'sorce' is not a [[layer]] key (did you mean 'source'?)");
  }
  SECTION("project with an unknown role") {
    const auto toml = dir.write(
        "project.toml",
        "[project]\nname = \"x\"\n[[layer]]\nname = \"m\"\nrole = \"musuem\"\nsource = \"m.csv\"\n");
    auto r = run_kepumap("info " + shell_quote(toml));
    CHECK(r.exit_code == 2);
    CHECK(line_count(r.err) == 1);
    CHECK(contains(r.err,
                   "error: " + toml + ":5: layer m: 'musuem' is not a valid role (did you mean 'museum'?)"));
  }
  SECTION("a PostGIS connection that fails") {
    auto r = run_kepumap("info " + shell_quote("PG:dbname=kepumap_none host=" + dir.file("nosocket")));
    CHECK(r.exit_code == 2);
    CHECK(line_count(r.err) == 1);
    CHECK(contains(r.err, "cannot open the data source (无法连接或打开数据源)"));
  }
  SECTION("usage errors") {
    auto r = run_kepumap("info");
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "error: no input"));
    auto r2 = run_kepumap("info a.geojson --bogus");
    CHECK(r2.exit_code == 2);
    CHECK(contains(r2.err, "unknown option '--bogus'"));
  }
}

TEST_CASE("cli info: accepted oddities exit 0 and say what was done", "[cli][info]") {
  ScratchDir dir("cli-ok");
  SECTION("Z/M coordinates are flattened") {
    const auto f = dir.write("z.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"名称":"别力古台镇"},"geometry":{"type":"Point","coordinates":[114.5,44.0,1200]}}]})");
    auto r = run_kepumap("info " + shell_quote(f));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "1 features have Z or M coordinates; read as 2-D, Z/M dropped"));
  }
  SECTION("a DBF in GBK without .cpg decodes to Chinese") {
    const auto shp = dir.file("gbk.shp");
    test::write_squares_shp(shp, 2, {"吉尔嘎郎图苏木", "那仁宝拉格苏木"}, "CP936", 4490);
    std::filesystem::remove(std::filesystem::path(shp).replace_extension(".cpg"));
    auto r = run_kepumap("info " + shell_quote(shp));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "encoding:      GB18030 (detected: text is not valid UTF-8; no .cpg)"));
    CHECK(contains(r.out, "first feature: name=吉尔嘎郎图苏木, id=0"));
    CHECK(contains(r.out, "source CRS:    EPSG:4490"));
  }
  SECTION("a project with two layers") {
    dir.write("v.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"n":"a"},"geometry":{"type":"Point","coordinates":[114.5,44.0]}}]})");
    const auto toml = dir.write("project.toml", R"([project]
name = "阿巴嘎旗测试"
name_en = "Abag test"
[[layer]]
name = "villages"
role = "village"
source = "v.geojson"
[[layer]]
name = "villages_gcj"
role = "other"
source = "v.geojson"
crs = "GCJ-02"
)");
    auto r = run_kepumap("info " + shell_quote(toml));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "项目 Project: 阿巴嘎旗测试 (Abag test)"));
    CHECK(contains(r.out, "图层 layer villages  [role village]"));
    CHECK(contains(r.out, "图层 layer villages_gcj  [role other]"));
    CHECK(contains(r.out, "source CRS:    GCJ-02"));
    auto j = run_kepumap("info " + shell_quote(toml) + " --json --layer villages");
    REQUIRE(j.exit_code == 0);
    const auto v = core::parse_json(j.out);
    CHECK(v.find("kind")->string == "project");
    REQUIRE(v.find("layers")->array.size() == 1);
    CHECK(v.find("layers")->array[0].find("role")->string == "village");
  }
}

TEST_CASE("cli info: the demo projects load cleanly", "[cli][info][demo]") {
  for (const char* name : {"abag", "dalad", "ningxia", "nmg"}) {
    const auto toml = test::source_dir() / "data" / name / "project.toml";
    REQUIRE(std::filesystem::exists(toml));  // committed in data/
    INFO(toml.string());
    auto r = run_kepumap("info " + shell_quote(toml.string()) + " --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto v = core::parse_json(r.out);
    CHECK(v.find("ok")->boolean);
    CHECK(v.find("problems")->array.empty());
    CHECK(contains(v.find("analysis_crs")->string, "+proj=aea"));
    for (const auto& l : v.find("layers")->array) {
      INFO(l.find("name")->string);
      CHECK(l.find("features")->number > 0);
      CHECK(l.find("features_dropped")->number == 0);
      // A population raster keeps its people through the warp (the loader checks 0.5 %).
      if (const auto* raster = l.find("raster")) CHECK(raster->find("total")->number > 0);
    }
  }
}
