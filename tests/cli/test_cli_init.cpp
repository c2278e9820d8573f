// `kepumap init FOLDER` through the real binary: the demo data of data/abag without its
// project.toml gives the hand-written roles and fields and the same coverage; real files from
// ../shared/data get their roles, CSV coordinate columns and open questions; a GBK shapefile
// without .prj/.cpg is decoded and said to have no CRS; an existing project.toml is never
// overwritten; an empty folder or an unreadable file is one line, exit 2, nothing written.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "cli_run.hpp"
#include "core/project.hpp"
#include "io/io_test_util.hpp"
#include "io/project.hpp"
#include "skip.hpp"

using namespace kepumap;
using test::contains;
using test::run_kepumap;
using test::ScratchDir;
using test::shell_quote;

namespace fs = std::filesystem;

namespace {

core::ProjectConfig read(const fs::path& toml) {
  core::Diagnostics d;
  auto cfg = io::read_project(toml, d);
  INFO(test::problem_lines(d));
  REQUIRE_FALSE(d.has_errors());
  return cfg;
}

/// The layer of `cfg` reading `source` (file name) and `layer`.
const core::LayerSpec* find_layer(const core::ProjectConfig& cfg, const std::string& source,
                                  const std::string& layer) {
  for (const auto& l : cfg.layers)
    if (fs::path(l.source).filename() == source && l.layer == layer) return &l;
  return nullptr;
}

std::string fields_of(const core::FieldMap& f) {
  return "name=" + f.name + " name_en=" + f.name_en + " code=" + f.code + " population=" + f.population +
         " level=" + f.level + " capacity=" + f.capacity + " road_class=" + f.road_class +
         " speed=" + f.speed + " pastoral=" + f.pastoral + " oneway=" + f.oneway + " lon=" + f.lon +
         " lat=" + f.lat;
}

/// The coverage summary without the lines that name the project or the output folder.
std::string figures(const std::string& out) {
  std::string s;
  std::size_t start = out.find('\n');  // the first line is the project's name
  while (start != std::string::npos && start + 1 < out.size()) {
    const auto end = out.find('\n', start + 1);
    const std::string line =
        out.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
    if (!contains(line, "wrote") && !contains(line, "demand"))
      s += line + "\n";  // demand names the raster layer
    start = end;
  }
  return s;
}

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace

TEST_CASE("init on the abag demo files gives the hand-written roles, fields and coverage", "[cli][init]") {
  const fs::path demo = test::source_dir() / "data/abag";
  if (!fs::exists(demo / "abag.gpkg")) KEPUMAP_SKIP_INSTALLED("data/abag is missing");
  ScratchDir dir("init-abag");
  for (const char* f : {"abag.gpkg", "abag_population.tif"}) fs::copy_file(demo / f, dir.path() / f);
  const auto r = run_kepumap("init " + shell_quote(dir.path().string()));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "已写入 wrote"));
  CHECK(contains(r.out, "loaded 16 layers"));
  const auto made = read(dir.path() / "project.toml");
  const auto hand = read(demo / "project.toml");
  CHECK(made.region == "152522");
  CHECK(made.name == "阿巴嘎旗科普资源覆盖规划");
  REQUIRE(made.layers.size() == hand.layers.size());
  for (const auto& h : hand.layers) {
    INFO(h.name);
    const auto* m = find_layer(made, fs::path(h.source).filename().string(), h.layer);
    REQUIRE(m);
    // A GSHHG lake that SOURCES.md says is dry land today is `other` by hand; init cannot know
    // that and takes the lake polygons for water.
    if (h.name == "dried_basins")
      CHECK(core::role_name(m->role) == std::string("water"));
    else
      CHECK(core::role_name(m->role) == core::role_name(h.role));
    CHECK(fields_of(m->fields) == fields_of(h.fields));
  }
  // village_centres carry the villages' codes: other, with a seat suggestion; said as undecided.
  CHECK(contains(r.out, "village_centres: role: its points carry the codes of the units of 'villages'"));
  const std::string toml = test::slurp(dir.path() / "project.toml");
  CHECK(contains(toml, "seat = { layer = \"village_centres\", by = \"code\" }"));
  CHECK(contains(toml, "# 角色 role village (guess)"));
  // The planner's one fix: the dried basin is not water.
  const std::string guessed = "name = \"dried_basins\"\nrole = \"water\"\n";
  const auto at = toml.find(guessed);
  REQUIRE(at != std::string::npos);
  std::string fixed = toml;
  fixed.replace(at, guessed.size(), "name = \"dried_basins\"\nrole = \"other\"\n");
  dir.write("project.toml", fixed);

  const auto a = run_kepumap("coverage " + shell_quote((dir.path() / "project.toml").string()) + " -o " +
                             shell_quote((dir.path() / "out_made").string()));
  const auto b = run_kepumap("coverage " + shell_quote((demo / "project.toml").string()) + " -o " +
                             shell_quote((dir.path() / "out_hand").string()));
  INFO(a.err << b.err);
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  CHECK(contains(a.out, "38589"));
  CHECK(figures(a.out) == figures(b.out));
  CHECK(contains(a.out, "population raster 'abag_population'"));
  for (const char* t :
       {"coverage_banner.csv", "coverage_township.csv", "coverage_village.csv", "equity.csv"}) {
    INFO(t);
    CHECK(test::slurp(dir.path() / "out_made" / t) == test::slurp(dir.path() / "out_hand" / t));
  }
}

TEST_CASE("init on real files: counties, GeoNames places, GSHHG lakes, WDBII rivers and borders",
          "[cli][init]") {
  if (!test::have_shared_data()) KEPUMAP_SKIP("../shared/data is absent");
  ScratchDir dir("init-real");
  const fs::path sd = test::shared_data();
  for (const char* f : {"boundaries/inner_mongolia_counties.geojson", "places/geonames_cities500.csv",
                        "physical/lakes_gshhg.geojson", "physical/rivers_wdbii.geojson",
                        "physical/borders_wdbii.geojson", "admin/streets_nmg_nx.csv"}) {
    if (!fs::exists(sd / f)) KEPUMAP_SKIP(std::string("../shared/data/") + f + " is absent");
    fs::copy_file(sd / f, dir.path() / fs::path(f).filename());
  }
  fs::copy_file(sd / "SOURCES.md", dir.path() / "SOURCES.md");
  const auto r = run_kepumap("init " + shell_quote(dir.path().string()));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto cfg = read(dir.path() / "project.toml");
  std::map<std::string, const core::LayerSpec*> by_name;
  for (const auto& l : cfg.layers) by_name[l.name] = &l;
  REQUIRE(by_name.size() == 5);
  const auto role = [&](const char* n) {
    REQUIRE(by_name.count(n));
    return std::string(core::role_name(by_name[n]->role));
  };
  CHECK(role("inner_mongolia_counties") == "banner");
  CHECK(role("geonames_cities500") == "town");
  CHECK(role("lakes_gshhg") == "water");
  CHECK(role("rivers_wdbii") == "water");
  CHECK(role("borders_wdbii") == "border");
  const auto& counties = by_name["inner_mongolia_counties"]->fields;
  CHECK(counties.name == "name");
  CHECK(counties.code == "adcode");
  CHECK(by_name["inner_mongolia_counties"]->seat.lon == "seat_lon");
  CHECK(by_name["inner_mongolia_counties"]->seat.lat == "seat_lat");
  const auto& places = by_name["geonames_cities500"]->fields;
  CHECK(places.lon == "longitude");
  CHECK(places.lat == "latitude");
  CHECK(places.name == "name");
  CHECK(places.name_en == "asciiname");
  CHECK(places.population.empty());  // 0 (unknown) in most rows: not mapped, and said
  CHECK(contains(r.out, "population: 'population' is 0 or empty in"));
  CHECK(contains(r.out, "streets_nmg_nx.csv: a table without longitude/latitude columns"));
  CHECK(contains(r.out, "SOURCES.md: not a data file kepumap reads"));
  CHECK(contains(r.out, "已写入 wrote"));
}

TEST_CASE("init decodes a GBK shapefile without .cpg and says it has no .prj", "[cli][init]") {
  if (!have("ogr2ogr")) KEPUMAP_SKIP_INSTALLED("ogr2ogr (gdal-bin) is missing");
  ScratchDir dir("init-gbk");
  ScratchDir src("init-gbk-src");
  const auto geojson = src.write("v.geojson",
                                 "{\"type\":\"FeatureCollection\",\"features\":["
                                 "{\"type\":\"Feature\",\"properties\":{\"名称\":\"巴彦图嘎嘎查\",\"人口\":"
                                 "1200,\"代码\":\"152522201201\"},"
                                 "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[114.0,44.0],[114.2,"
                                 "44.0],[114.2,44.2],[114.0,44.2],"
                                 "[114.0,44.0]]]}},"
                                 "{\"type\":\"Feature\",\"properties\":{\"名称\":\"那仁宝拉格嘎查\",\"人口\":"
                                 "800,\"代码\":\"152522201202\"},"
                                 "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[114.2,44.0],[114.4,"
                                 "44.0],[114.4,44.2],[114.2,44.2],"
                                 "[114.2,44.0]]]}}]}");
  const fs::path shp = dir.path() / "牧区单元.shp";
  REQUIRE(std::system(("ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=CP936 " + shell_quote(shp.string()) + " " +
                       shell_quote(geojson) + " 2>/dev/null")
                          .c_str()) == 0);
  fs::remove(dir.path() / "牧区单元.cpg");
  fs::remove(dir.path() / "牧区单元.prj");
  const auto r = run_kepumap("init " + shell_quote(dir.path().string()));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto cfg = read(dir.path() / "project.toml");
  REQUIRE(cfg.layers.size() == 1);
  const auto& l = cfg.layers[0];
  CHECK(core::role_name(l.role) == "village");  // the names end in 嘎查
  CHECK(l.encoding == "GB18030");
  CHECK(l.fields.name == "名称");
  CHECK(l.fields.code == "代码");
  CHECK(l.fields.population == "人口");
  CHECK(contains(r.out, "CRS: none in the file (no .prj)"));
  CHECK(contains(test::slurp(dir.path() / "project.toml"), "no CRS in the file (no .prj)"));
}

TEST_CASE("init never overwrites a project.toml: one line, exit 2", "[cli][init]") {
  ScratchDir dir("init-exists");
  dir.write("project.toml", "# mine\n");
  dir.write("towns.csv", "名称,经度,纬度\n别力古台镇,114.95,44.02\n");
  const auto r = run_kepumap("init " + shell_quote(dir.path().string()));
  CHECK(r.exit_code == 2);
  CHECK(test::line_count(r.err) == 1);
  CHECK(contains(r.err, "project.toml"));
  CHECK(contains(r.err, "already exists"));
  CHECK(test::slurp(dir.path() / "project.toml") == "# mine\n");
}

TEST_CASE(
    "init on an empty folder, a missing folder or an unreadable file: one line, exit 2, nothing written",
    "[cli][init]") {
  {
    ScratchDir dir("init-empty");
    dir.write("notes.md", "nothing here\n");
    const auto r = run_kepumap("init " + shell_quote(dir.path().string()));
    CHECK(r.exit_code == 2);
    CHECK(test::line_count(r.err) == 1);
    CHECK(contains(r.err, "no data files"));
    CHECK_FALSE(fs::exists(dir.path() / "project.toml"));
  }
  {
    const auto r = run_kepumap("init /nonexistent/kepumap-init");
    CHECK(r.exit_code == 2);
    CHECK(test::line_count(r.err) == 1);
    CHECK(contains(r.err, "folder not found"));
  }
  {
    ScratchDir dir("init-bad");
    dir.write("towns.csv", "name,lon,lat\nBieligutai,114.95,44.02\n");
    dir.write("broken.geojson", "{\"type\": \"FeatureCollection\", \"features\": [ {\"type\": ");
    const auto r = run_kepumap("init " + shell_quote(dir.path().string()));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(test::line_count(r.err) == 1);
    CHECK(contains(r.err, "broken.geojson"));
    CHECK_FALSE(fs::exists(dir.path() / "project.toml"));
    CHECK(fs::directory_iterator(dir.path()) != fs::directory_iterator());
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
    CHECK(files == 2);  // no temporary left behind
  }
}

TEST_CASE("init on a CSV of towns and an OSM file: town points with lon/lat, OSM highway ways as roads",
          "[cli][init]") {
  const fs::path osm = test::source_dir() / "tests/data/osm/roads.osm.pbf";
  if (!fs::exists(osm)) KEPUMAP_SKIP_INSTALLED("tests/data/osm is missing");
  ScratchDir dir("init-osm");
  fs::copy_file(osm, dir.path() / "roads.osm.pbf");
  dir.write("居民点.csv",
            "名称,人口,经度,纬度\n别力古台镇,21000,114.95,44.02\n那仁宝拉格,900,114.10,44.60\n");
  const auto r = run_kepumap("init " + shell_quote(dir.path().string()));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto cfg = read(dir.path() / "project.toml");
  REQUIRE(cfg.layers.size() == 2);
  const auto* roads = find_layer(cfg, "roads.osm.pbf", "lines");
  REQUIRE(roads);
  CHECK(roads->name == "roads");
  CHECK(core::role_name(roads->role) == "road");
  const auto* towns = find_layer(cfg, "居民点.csv", "");
  REQUIRE(towns);
  CHECK(core::role_name(towns->role) == "town");
  CHECK(towns->fields.name == "名称");
  CHECK(towns->fields.population == "人口");
  CHECK(towns->fields.lon == "经度");
  CHECK(towns->fields.lat == "纬度");
  const auto info = run_kepumap("info " + shell_quote((dir.path() / "project.toml").string()));
  CHECK(info.exit_code == 0);
  CHECK(contains(info.out, "features:      17 (read 17, dropped 0)"));
}

TEST_CASE("init comments out what it cannot load as guessed: projected data without CRS, unnamed rasters",
          "[cli][init]") {
  if (!have("ogr2ogr") || !have("gdal_translate"))
    KEPUMAP_SKIP_INSTALLED("ogr2ogr/gdal_translate (gdal-bin) is missing");
  const fs::path tif = test::source_dir() / "data/abag/abag_population.tif";
  if (!fs::exists(tif)) KEPUMAP_SKIP_INSTALLED("data/abag is missing");
  ScratchDir dir("init-commented");
  ScratchDir src("init-commented-src");
  dir.write("towns.csv", "名称,经度,纬度\n别力古台镇,114.95,44.02\n");
  const auto geojson =
      src.write("r.geojson",
                "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
                "{\"name\":\"S101\"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
                "[[114.9,44.0],[115.0,44.1]]}}]}");
  // Gauss-Krüger metres (CGCS2000 / 3-degree zone, CM 114E) and no .prj.
  REQUIRE(std::system(("ogr2ogr -f 'ESRI Shapefile' -t_srs EPSG:4547 " +
                       shell_quote((dir.path() / "道路.shp").string()) + " " + shell_quote(geojson) +
                       " 2>/dev/null")
                          .c_str()) == 0);
  fs::remove(dir.path() / "道路.prj");
  for (const char* name : {"dem.tif", "landcover.tif"})
    REQUIRE(std::system(("gdal_translate -q " + shell_quote(tif.string()) + " " +
                         shell_quote((dir.path() / name).string()))
                            .c_str()) == 0);
  const auto r = run_kepumap("init " + shell_quote(dir.path().string()));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto cfg = read(dir.path() / "project.toml");
  REQUIRE(cfg.layers.size() == 1);  // the towns; the others are comments
  CHECK(cfg.layers[0].name == "towns");
  const std::string toml = test::slurp(dir.path() / "project.toml");
  CHECK(contains(toml, "# name = \"道路\""));
  CHECK(contains(toml, "# name = \"dem\""));
  CHECK(contains(r.out, "道路: CRS: the source has no CRS and its coordinates are not longitude/latitude"));
  CHECK(contains(r.out, "dem: role: a raster not named like a population grid"));
  CHECK(contains(r.out, "landcover.tif: looks like a land-cover raster"));
}
