// OpenStreetMap roads through the real binary: tests/data/osm/roads.osm (hand-written with the
// real tag vocabulary) and the same file as PBF (osmium-tool). Only highway ways are roads,
// non-roads and unknown values are each said once, tag scenarios change the network, a `where`
// filter selects features, and a bad `where` or a file without highway ways is one line, exit 2.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "cli_run.hpp"
#include "io/io_test_util.hpp"

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
}
