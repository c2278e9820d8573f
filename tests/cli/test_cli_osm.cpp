// OpenStreetMap roads through the real binary: tests/data/osm/roads.osm (hand-written with the
// real tag vocabulary) and the same file as PBF (osmium-tool). Only highway ways are roads,
// non-roads and unknown values are each said once, tag scenarios change the network, a `where`
// filter selects features, and a bad `where` or a file without highway ways is one line, exit 2.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "cli_run.hpp"
#include "io/io_test_util.hpp"
#include "io/raster_io.hpp"

using namespace kepumap;
using test::contains;
using test::run_kepumap;
using test::ScratchDir;
using test::shell_quote;

namespace {

std::filesystem::path osm_dir() { return test::source_dir() / "tests/data/osm"; }

// project.toml in `dir` with the roads from `roads` (absolute path) and an extra line for the
// road layer (e.g. a where key); the towns of tests/data/osm.
std::string project(const ScratchDir& dir, const std::string& roads, const std::string& road_extra = {}) {
  return dir.write("project.toml",
                   "[project]\nname = \"OSM\"\n\n"
                   "[[layer]]\nname = \"roads\"\nrole = \"road\"\nsource = \"" +
                       roads + "\"\n" + road_extra +
                       "\n"
                       "[[layer]]\nname = \"towns\"\nrole = \"town\"\nsource = \"" +
                       (osm_dir() / "towns.geojson").string() +
                       "\"\nfields = { name = \"name\" }\n\n"
                       "[travel]\ncell_size_m = 200\n\n"
                       "[[scenario]]\nname = \"winter\"\nopen_tags = [\"winter_road=yes\"]\n");
}

std::size_t lines_with(const std::string& text, const std::string& a, const std::string& b = {}) {
  std::size_t n = 0, start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (contains(line, a) && (b.empty() || contains(line, b))) ++n;
    start = end + 1;
  }
  return n;
}

double directed_edges(const std::string& out) {
  const auto p = out.find("nodes, ");
  return p == std::string::npos ? -1 : std::stod(out.substr(p + 7));
}

}  // namespace

TEST_CASE("OSM XML and PBF: only highway ways are roads, the same 17 from both", "[cli][osm]") {
  for (const char* file : {"roads.osm", "roads.osm.pbf"}) {
    INFO(file);
    ScratchDir dir("osm-read");
    const auto p = project(dir, (osm_dir() / file).string());
    const auto r = run_kepumap("info " + shell_quote(p));
    REQUIRE(r.exit_code == 0);
    // 20 ways: a river, a railway and a power line have no highway tag.
    CHECK(contains(r.out, "features:      17 (read 17, dropped 0)"));
    CHECK(contains(r.out, "(layer lines)"));
    CHECK_FALSE(contains(r.out, "waterway"));
  }
}

TEST_CASE("OSM roads: unknown values and non-roads said once, winter opens winter roads", "[cli][osm]") {
  ScratchDir dir("osm-travel");
  const auto p = project(dir, (osm_dir() / "roads.osm").string());
  const auto base =
      run_kepumap("travel " + shell_quote(p) + " --from town -o " + shell_quote((dir.path() / "a").string()));
  REQUIRE(base.exit_code == 0);
  const std::string all = base.out + base.err;
  CHECK(lines_with(all, "bogus_road_type") == 1);
  CHECK(lines_with(all, "\"bogus_road_type\" (2 features)", "left out") == 1);
  CHECK(lines_with(all, "4 lines are not roads", "construction 1, footway 1, path 1, steps 1") == 1);
  CHECK(lines_with(all, "implausible speed") == 1);  // maxspeed=900 on way 19
  CHECK_FALSE(contains(all, "40 km/h"));
  const auto winter = run_kepumap("travel " + shell_quote(p) + " --from town --scenario winter -o " +
                                  shell_quote((dir.path() / "b").string()));
  REQUIRE(winter.exit_code == 0);
  // The winter_road=yes track (2 segments, two-way) is closed in the base case, open in winter.
  CHECK(directed_edges(winter.out) == directed_edges(base.out) + 4);
}

TEST_CASE("where filters a layer, a bad where or an OSM file without highway ways is one line, exit 2",
          "[cli][osm]") {
  ScratchDir dir("osm-where");
  {
    const auto p =
        project(dir, (osm_dir() / "roads.osm").string(), "where = \"highway IN ('primary', 'track')\"");
    const auto r = run_kepumap("info " + shell_quote(p));
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "features:      4 (read 4, dropped 0)"));  // 1 primary + 3 tracks
  }
  {
    const auto p = project(dir, (osm_dir() / "roads.osm").string(), "where = \"highway = = 'primary'\"");
    const auto out = dir.path() / "out";
    const auto r = run_kepumap("travel " + shell_quote(p) + " --from town -o " + shell_quote(out.string()));
    CHECK(r.exit_code == 2);
    CHECK(test::line_count(r.err) == 1);
    CHECK(contains(r.err, "project.toml:8"));
    CHECK(contains(r.err, "layer roads"));
    CHECK(contains(r.err, "where"));
    CHECK_FALSE(std::filesystem::exists(out));
  }
  {
    const auto p = project(dir, (osm_dir() / "no_highway.osm.pbf").string());
    const auto out = dir.path() / "out2";
    const auto r = run_kepumap("travel " + shell_quote(p) + " --from town -o " + shell_quote(out.string()));
    CHECK(r.exit_code == 2);
    CHECK(test::line_count(r.err) == 1);
    CHECK(contains(r.err, "no ways with a highway tag"));
    CHECK(contains(r.err, "no_highway.osm.pbf"));
    CHECK_FALSE(std::filesystem::exists(out));
  }
  {
    // where on any layer: towns by name.
    const auto p = dir.write(
        "p2.toml", "[project]\nname = \"OSM\"\n\n[[layer]]\nname = \"towns\"\nrole = \"town\"\nsource = \"" +
                       (osm_dir() / "towns.geojson").string() + "\"\nwhere = \"population > 500\"\n");
    const auto r = run_kepumap("info " + shell_quote(p));
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "features:      1 (read 1, dropped 0)"));
  }
  {
    // where on a CSV point table, with Chinese headers: the same GDAL SQL engine as other sources.
    auto csv_project = [&](const std::string& where) {
      return dir.write("p3.toml",
                       "[project]\nname = \"CSV\"\n\n[[layer]]\nname = \"towns\"\nrole = \"town\"\n"
                       "source = \"towns.csv\"\nfields = { name = \"名称\", population = \"人口\" }\n"
                       "where = \"" +
                           where + "\"\n");
    };
    dir.write("towns.csv",
              "名称,经度,纬度,人口,类型\n"
              "别力古台镇,114.95,44.02,8200,镇\n"
              "查干淖尔镇,114.60,44.10,300,镇\n"
              "那仁宝拉格苏木,115.40,44.30,450,苏木\n");
    auto r = run_kepumap("info " + shell_quote(csv_project("\\\"人口\\\" > 400 AND \\\"类型\\\" = '苏木'")));
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "features:      1 (read 1, dropped 0)"));
    r = run_kepumap("info " + shell_quote(csv_project("\\\"人口\\\" > 400")));
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "features:      2 (read 2, dropped 0)"));
    // A filter GDAL rejects, and one that leaves no row: one line each, naming the project line.
    r = run_kepumap("info " + shell_quote(csv_project("\\\"人口\\\" > > 400")));
    CHECK(r.exit_code == 2);
    CHECK(test::line_count(r.err) == 1);
    CHECK(contains(r.err, "p3.toml:9"));
    CHECK(contains(r.err, "where"));
    CHECK(contains(r.err, "towns"));
    r = run_kepumap("info " + shell_quote(csv_project("\\\"人口\\\" > 100000")));
    CHECK(r.exit_code == 2);
    CHECK(test::line_count(r.err) == 1);
    CHECK(contains(r.err, "no row passes where"));
    CHECK(contains(r.err, "p3.toml:9"));
  }
}

TEST_CASE("tag and water scenarios: the thaw slows unpaved roads, ice crosses a river", "[cli][osm]") {
  ScratchDir dir("osm-seasons");
  {
    // tests/data/osm/project.toml: thaw = { "surface=unpaved|ground|dirt" = 10 } on the
    // unclassified unpaved road and the ground track; nothing may get faster, something slower.
    const auto project = (osm_dir() / "project.toml").string();
    const auto a = dir.path() / "base", b = dir.path() / "thaw";
    REQUIRE(run_kepumap("travel " + shell_quote(project) + " --from town -o " + shell_quote(a.string()))
                .exit_code == 0);
    REQUIRE(run_kepumap("travel " + shell_quote(project) + " --from town --scenario thaw -o " +
                        shell_quote(b.string()))
                .exit_code == 0);
    const core::GridF base = io::read_grid(a / "travel_time.tif"),
                      thaw = io::read_grid(b / "travel_time.tif");
    REQUIRE(base.width == thaw.width);
    REQUIRE(base.height == thaw.height);
    std::size_t slower = 0, faster = 0;
    for (std::size_t i = 0; i < base.data.size(); ++i) {
      if (base.data[i] == base.nodata || thaw.data[i] == thaw.nodata) continue;
      if (thaw.data[i] > base.data[i] + 0.05f) ++slower;
      if (thaw.data[i] < base.data[i] - 0.05f) ++faster;
    }
    CHECK(faster == 0);
    CHECK(slower > 20);
  }
  {
    // A river (role water, a line) between a town and a gachaa, no road or ford across: out of
    // reach in the base case, 8 km of frozen river and steppe at 25 km/h with ice = true.
    dir.write("t.geojson",
              R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"西镇"},)"
              R"("geometry":{"type":"Point","coordinates":[115.0,44.0]}}]})");
    dir.write("v.geojson",
              R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"东嘎查",)"
              R"("population":300},"geometry":{"type":"Point","coordinates":[115.1,44.0]}}]})");
    // 222 km long: without a study area the grid still comes from the places, not the river.
    dir.write("r.geojson",
              R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"河"},)"
              R"("geometry":{"type":"LineString","coordinates":[[115.05,43.0],[115.05,45.0]]}}]})");
    const auto p = dir.write(
        "ice.toml",
        "[project]\nname = \"冰\"\n\n[[layer]]\nname = \"towns\"\nrole = \"town\"\nsource = \"t.geojson\"\n"
        "fields = { name = \"name\" }\n\n[[layer]]\nname = \"villages\"\nrole = \"village\"\n"
        "source = \"v.geojson\"\nfields = { name = \"name\", population = \"population\" }\n\n"
        "[[layer]]\nname = \"river\"\nrole = \"water\"\nsource = \"r.geojson\"\n\n"
        "[travel]\ncell_size_m = 200\n\n[[scenario]]\nname = \"frozen\"\nice = true\n");
    const auto a = dir.path() / "open", b = dir.path() / "ice";
    const auto open = run_kepumap("travel " + shell_quote(p) + " --from town -o " + shell_quote(a.string()));
    REQUIRE(open.exit_code == 0);
    const auto ice = run_kepumap("travel " + shell_quote(p) + " --from town --scenario frozen -o " +
                                 shell_quote(b.string()));
    REQUIRE(ice.exit_code == 0);
    // 8 km of places plus 20 km margin each way, in 200 m cells: about 240 x 200, not 1112 rows.
    CHECK(contains(open.out, "grid:      242 x 201 cells of 200 m"));
    CHECK(contains(test::slurp(a / "times.csv"), "village,villages,0,东嘎查,,,,"));
    const std::string frozen = test::slurp(b / "times.csv");
    INFO(frozen);
    const auto at = frozen.find("village,villages,0,东嘎查,,西镇,");
    REQUIRE(at != std::string::npos);
    const double minutes =
        std::stod(frozen.substr(at + std::string("village,villages,0,东嘎查,,西镇,").size()));
    // 8.0 km apart; off-road at 25 km/h is 19.2 min straight, a little more on the 16-move grid.
    CHECK(minutes >= 19.2);
    CHECK(minutes <= 21.0);
  }
}
