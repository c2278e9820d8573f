// The outputs as the programs planners use read them: the GeoPackage through GDAL (a rerun keeps
// what the planner added), the spreadsheets read back, the GPX against the 1.1 schema, the PDF
// rendered page by page.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "cli_run.hpp"
#include "core/atomic_file.hpp"

using namespace kepumap;
using test::run_kepumap;
using test::shell_quote;

namespace {

/// Runs a shell command; returns its stdout, sets `code` to its exit status.
std::string sh(const std::string& cmd, int* code = nullptr) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  if (code) *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::filesystem::path fresh_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("kepumap-out-" + name);
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

std::string abag() { return shell_quote((test::source_dir() / "data/abag/project.toml").string()); }

}  // namespace

TEST_CASE("outputs: a coverage rerun keeps the planner's layers and saved QGIS styles",
          "[cli][outputs][gpkg]") {
  const auto dir = fresh_dir("rerun");
  const std::string q = shell_quote((dir / "coverage.gpkg").string());
  REQUIRE(run_kepumap("coverage " + abag() + " -o " + shell_quote(dir.string())).exit_code == 0);
  // The planner adds a layer of their own and saves a style from QGIS (layer_styles row).
  int code = -1;
  const std::string notes = shell_quote((dir / "notes.csv").string());
  sh("printf 'name,WKT\\n\"my note\",\"POINT (114.9 44.0)\"\\n' > " + notes);
  sh("ogr2ogr -update -f GPKG -a_srs EPSG:4326 -nln my_notes " + q + " " + notes, &code);
  REQUIRE(code == 0);
  sh("ogrinfo " + q +
         " -sql \"CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
         "f_table_catalog TEXT, f_table_schema TEXT, f_table_name TEXT, f_geometry_column TEXT, styleName "
         "TEXT, "
         "styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT, ui TEXT, "
         "update_time DATETIME)\"",
     &code);
  REQUIRE(code == 0);
  sh("ogrinfo " + q +
         " -sql \"INSERT INTO layer_styles (f_table_name, f_geometry_column, styleName, styleQML, "
         "useAsDefault) "
         "VALUES ('coverage_village', 'geom', 'planner style', '<qgis/>', 0)\"",
     &code);
  REQUIRE(code == 0);

  const auto r = run_kepumap("coverage " + abag() + " -o " + shell_quote(dir.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string layers = sh("ogrinfo -ro -q " + q);
  CHECK(layers.find("my_notes") != std::string::npos);
  CHECK(layers.find("coverage_village") != std::string::npos);
  const std::string styles = sh(
      "ogrinfo -ro " + q + " -sql \"SELECT styleName FROM layer_styles WHERE styleName = 'planner style'\"");
  CHECK(styles.find("Feature Count: 1") != std::string::npos);
  // kepumap's own layers are replaced, not duplicated: 75 villages, and the rasters open.
  const std::string village = sh("ogrinfo -ro -so " + q + " coverage_village");
  CHECK(village.find("Feature Count: 75") != std::string::npos);
  const std::string gap =
      sh("gdalinfo " + shell_quote("GPKG:" + (dir / "coverage.gpkg").string() + ":gap"), &code);
  CHECK(code == 0);
  CHECK(gap.find("Size is") != std::string::npos);
  for (const auto& e : std::filesystem::directory_iterator(dir))
    CHECK_FALSE(core::is_temp_name(e.path().filename().string()));
}

TEST_CASE("outputs: a failed rerun leaves the previous GeoPackage as it was", "[cli][outputs][gpkg]") {
  const auto dir = fresh_dir("rerun-fail");
  REQUIRE(run_kepumap("coverage " + abag() + " -o " + shell_quote(dir.string())).exit_code == 0);
  const auto gpkg = dir / "coverage.gpkg";
  // A GeoPackage GDAL cannot open for update (here: not one at all) makes the update fail
  // before anything moves.
  { std::ofstream(gpkg, std::ios::binary) << "not a GeoPackage"; }
  const std::string before = test::slurp(gpkg);
  const auto r = run_kepumap("coverage " + abag() + " -o " + shell_quote(dir.string()));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("coverage") != std::string::npos);
  CHECK(test::slurp(gpkg) == before);
  for (const auto& e : std::filesystem::directory_iterator(dir))
    CHECK_FALSE(core::is_temp_name(e.path().filename().string()));
}

TEST_CASE("outputs: travel GeoTIFFs carry a named CRS, a band description and units for QGIS",
          "[cli][outputs][raster]") {
  const auto dir = fresh_dir("tif");
  const auto r = run_kepumap("travel " + abag() + " --from town -o " + shell_quote(dir.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  int code = -1;
  const std::string info = sh("gdalinfo " + shell_quote((dir / "travel_time.tif").string()), &code);
  REQUIRE(code == 0);
  CHECK(info.find("kepumap analysis CRS (Albers equal-area, WGS 84)") != std::string::npos);
  CHECK(info.find("Unknown based on") == std::string::npos);
  CHECK(info.find("Description = 出行时间 travel time") != std::string::npos);
  CHECK(info.find("Unit Type: min") != std::string::npos);
  const std::string near = sh("gdalinfo " + shell_quote((dir / "nearest_facility.tif").string()));
  CHECK(near.find("Description = 最近设施序号") != std::string::npos);
}
