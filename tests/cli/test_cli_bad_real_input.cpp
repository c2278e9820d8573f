// Bad real input through the real binary (issue 13, "Bad input"): a `where` that GDAL rejects,
// an OSM file with no highway ways, a `seat` join that matches nothing, a population field that
// is text and a study area with no units. Each is exactly one line on stderr naming the file,
// layer, feature and field it can, exit 2, and nothing written.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "cli_run.hpp"
#include "io/io_test_util.hpp"
#include "skip.hpp"

using namespace kepumap;
using test::contains;
using test::run_kepumap;
using test::ScratchDir;
using test::shell_quote;

namespace {

namespace fs = std::filesystem;

std::string abag_gpkg() { return (test::source_dir() / "data/abag/abag.gpkg").string(); }

// [project] and a townships layer (line 4 is its [[layer]]; `extra` goes on line 9), the museum
// and a 60-minute museum standard.
std::string townships_project(const std::string& extra) {
  return "[project]\nname = \"bad\"\n\n"
         "[[layer]]\nname = \"townships\"\nrole = \"township\"\nsource = \"" +
         abag_gpkg() + "\"\nlayer = \"townships\"\n" + extra +
         "\nfields = { name = \"name\", code = \"code\", population = \"population\" }\n\n"
         "[[layer]]\nname = \"museums\"\nrole = \"museum\"\nsource = \"" +
         abag_gpkg() +
         "\"\nlayer = \"museums\"\nfields = { name = \"name\" }\n\n"
         "[[standard]]\nfacility = \"museum\"\nminutes = 60\n";
}

// Runs `kepumap VERB project -o out` and checks the common rule: exit 2, one stderr line, no
// output folder. Returns the line.
std::string one_line_exit_2(const ScratchDir& dir, const std::string& verb, const std::string& project) {
  const fs::path out = dir.path() / ("out_" + verb);
  std::string args = verb + " " + shell_quote(project) + " -o " + shell_quote(out.string());
  if (verb == "travel") args += " --from town";
  const auto r = run_kepumap(args);
  INFO(verb << ": " << r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK(test::line_count(r.err) == 1);
  CHECK(contains(r.err, "error: "));
  CHECK_FALSE(fs::exists(out));
  return r.err;
}

}  // namespace

TEST_CASE("bad real input: a where that GDAL rejects on a GeoPackage names the project line and layer",
          "[cli][bad]") {
  if (!fs::exists(abag_gpkg())) KEPUMAP_SKIP_INSTALLED("data/abag is missing");
  ScratchDir dir("bad-where");
  // The GeoPackage driver accepts any filter and fails on the first read: this must not be called
  // a damaged file.
  const auto p = dir.write("project.toml", townships_project("where = \"population = = 3\""));
  for (const char* verb : {"coverage", "report"}) {
    const std::string e = one_line_exit_2(dir, verb, p);
    CHECK(contains(e, "project.toml:9"));
    CHECK(contains(e, "layer townships"));
    CHECK(contains(e, "field where"));
    CHECK(contains(e, "GDAL rejects the filter"));
    CHECK_FALSE(contains(e, "damaged"));
  }
}

TEST_CASE("bad real input: an OSM file with no highway ways names the file, layer and tag",
          "[cli][bad][osm]") {
  ScratchDir dir("bad-osm");
  for (const char* file : {"no_highway.osm", "no_highway.osm.pbf"}) {
    INFO(file);
    const auto p =
        dir.write("project.toml",
                  "[project]\nname = \"OSM\"\n\n[[layer]]\nname = \"roads\"\nrole = \"road\"\nsource = \"" +
                      (test::source_dir() / "tests/data/osm" / file).string() +
                      "\"\n\n[[layer]]\nname = \"towns\"\nrole = \"town\"\nsource = \"" +
                      (test::source_dir() / "tests/data/osm/towns.geojson").string() +
                      "\"\nfields = { name = \"name\" }\n");
    const std::string e = one_line_exit_2(dir, "travel", p);
    CHECK(contains(e, file));
    CHECK(contains(e, "layer roads"));
    CHECK(contains(e, "field highway"));
    CHECK(contains(e, "no ways with a highway tag"));
  }
}

TEST_CASE(
    "bad real input: a seat join that matches nothing names file, layer, feature, field and project line",
    "[cli][bad][seat]") {
  if (!fs::exists(abag_gpkg())) KEPUMAP_SKIP_INSTALLED("data/abag is missing");
  ScratchDir dir("bad-seat");
  // Township names joined to the museum's name: no township is called 阿巴嘎旗科技馆.
  const auto p =
      dir.write("project.toml", townships_project("seat = { layer = \"museums\", by = \"name\" }"));
  for (const char* verb : {"coverage", "site"}) {
    const std::string e = one_line_exit_2(dir, verb, p);
    CHECK(contains(e, "abag.gpkg: layer townships: feature 0: field name:"));
    CHECK(contains(e, "seat join matches nothing"));
    CHECK(contains(e, "project.toml:9"));
    CHECK_FALSE(contains(e, "abag.gpkg:9"));  // the line number is the project file's
  }
}

TEST_CASE("bad real input: a population field holding text names file, layer, feature and field",
          "[cli][bad][people]") {
  if (!fs::exists(abag_gpkg())) KEPUMAP_SKIP_INSTALLED("data/abag is missing");
  ScratchDir dir("bad-pop");
  dir.write("towns.geojson",
            "{\"type\":\"FeatureCollection\",\"features\":["
            "{\"type\":\"Feature\",\"properties\":{\"name\":\"A\",\"population\":\"120\"},"
            "\"geometry\":{\"type\":\"Point\",\"coordinates\":[115.0,44.0]}},"
            "{\"type\":\"Feature\",\"properties\":{\"name\":\"B\",\"population\":\"约 300\"},"
            "\"geometry\":{\"type\":\"Point\",\"coordinates\":[115.2,44.1]}}]}");
  const auto p = dir.write(
      "project.toml",
      "[project]\nname = \"bad\"\n\n[[layer]]\nname = \"banner\"\nrole = \"banner\"\nsource = \"" +
          abag_gpkg() +
          "\"\nlayer = \"banner\"\nfields = { name = \"name\" }\n\n"
          "[[layer]]\nname = \"towns\"\nrole = \"town\"\nsource = \"towns.geojson\"\n"
          "fields = { name = \"name\", population = \"population\" }\n\n"
          "[[layer]]\nname = \"museums\"\nrole = \"museum\"\nsource = \"" +
          abag_gpkg() + "\"\nlayer = \"museums\"\n\n[[standard]]\nfacility = \"museum\"\nminutes = 60\n");
  for (const char* verb : {"coverage", "report"}) {
    const std::string e = one_line_exit_2(dir, verb, p);
    CHECK(contains(e, "towns.geojson: layer towns: feature 1: field population:"));
    CHECK(contains(e, "'约 300'"));
  }
}

TEST_CASE("bad real input: a study area with no units is one line naming what is missing", "[cli][bad]") {
  if (!fs::exists(abag_gpkg())) KEPUMAP_SKIP_INSTALLED("data/abag is missing");
  ScratchDir dir("bad-units");
  {
    // A where that keeps no unit: the filter and its project line are named.
    const auto p = dir.write("project.toml", townships_project("where = \"population < 0\""));
    const std::string e = one_line_exit_2(dir, "coverage", p);
    CHECK(contains(e, "abag.gpkg: layer townships: field where:"));
    CHECK(contains(e, "no feature passes where = \"population < 0\""));
    CHECK(contains(e, "project.toml:9"));
  }
  {
    // No unit layer at all.
    const auto p = dir.write("p2.toml",
                             "[project]\nname = \"bad\"\n\n[[layer]]\nname = \"museums\"\nrole = "
                             "\"museum\"\nsource = \"" +
                                 abag_gpkg() +
                                 "\"\nlayer = \"museums\"\n\n[[standard]]\nfacility = "
                                 "\"museum\"\nminutes = 60\n");
    const std::string e = one_line_exit_2(dir, "coverage", p);
    CHECK(contains(e, "p2.toml"));
    CHECK(contains(e, "no polygon layer with role village, township or banner"));
  }
}
