// The outputs as the programs planners use read them: the GeoPackage through GDAL (a rerun keeps
// what the planner added), the spreadsheets read back, the GPX against the 1.1 schema, the PDF
// rendered page by page.
#include <catch2/catch.hpp>

#include <gdal.h>
#include <ogr_api.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

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
  CHECK(near.find("Description = 最近设施 nearest facility") != std::string::npos);
}

namespace {

/// The values of `field` in the rows of an SQL query on a GeoPackage, through GDAL.
std::vector<std::string> sql_values(const std::string& gpkg, const std::string& sql,
                                    const std::string& field) {
  std::vector<std::string> v;
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) return v;
  OGRLayerH res = GDALDatasetExecuteSQL(ds, sql.c_str(), nullptr, nullptr);
  if (res) {
    while (OGRFeatureH f = OGR_L_GetNextFeature(res)) {
      const int i = OGR_F_GetFieldIndex(f, field.c_str());
      v.push_back(i >= 0 ? OGR_F_GetFieldAsString(f, i) : "<no field>");
      OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(ds, res);
  }
  GDALClose(ds);
  return v;
}

}  // namespace

TEST_CASE("outputs: coverage.gpkg layers carry a default QGIS style, Chinese field titles and layer titles",
          "[cli][outputs][gpkg][qgis]") {
  const auto dir = fresh_dir("qgis-style");
  const std::string gpkg = (dir / "coverage.gpkg").string();
  REQUIRE(run_kepumap("coverage " + abag() + " -o " + shell_quote(dir.string())).exit_code == 0);
  const auto tables = sql_values(
      gpkg, "SELECT f_table_name FROM layer_styles WHERE useAsDefault = 1 ORDER BY 1", "f_table_name");
  CHECK(tables == std::vector<std::string>{"coverage_banner", "coverage_township", "coverage_village"});
  // The style is a QGIS document: well-formed XML, graduated on the gap, labelled by name, with
  // the Chinese aliases.
  const auto qml = sql_values(
      gpkg, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'coverage_village'", "styleQML");
  REQUIRE(qml.size() == 1);
  const auto qml_file = dir / "village.qml";
  { std::ofstream(qml_file) << qml.front(); }
  int code = -1;
  sh("xmllint --noout " + shell_quote(qml_file.string()), &code);
  CHECK(code == 0);
  const std::string doc = test::slurp(qml_file);
  CHECK(doc.find("type=\"graduatedSymbol\" attr=\"gap\"") != std::string::npos);
  CHECK(doc.find("fieldName=\"name\"") != std::string::npos);
  CHECK(doc.find("<alias field=\"gap\"") != std::string::npos);
  CHECK(doc.find("name=\"缺口\"") != std::string::npos);
  CHECK(doc.find("fontFamily=\"Noto Sans CJK SC\"") != std::string::npos);
  // The report's gap classes: one range per class, the first below 0.5 (styles/default.json).
  std::size_t ranges = 0;
  for (std::size_t at = 0; (at = doc.find("<range ", at)) != std::string::npos; ++at) ++ranges;
  CHECK(ranges >= 2);
  CHECK(ranges <= 5);
  CHECK(doc.find("upper=\"0.5\"") != std::string::npos);
  // Field titles for every client that reads the GeoPackage schema extension.
  CHECK(sql_values(
            gpkg,
            "SELECT title FROM gpkg_data_columns WHERE table_name = 'coverage_village' AND column_name = "
            "'share_any'",
            "title") == std::vector<std::string>{"任一覆盖率"});
  CHECK(sql_values(gpkg, "SELECT identifier FROM gpkg_contents WHERE table_name = 'coverage_township'",
                   "identifier") == std::vector<std::string>{"苏木镇覆盖与缺口"});
  CHECK(sql_values(gpkg, "SELECT identifier FROM gpkg_contents WHERE table_name = 'time_museum_min'",
                   "identifier") == std::vector<std::string>{"到科技馆的出行时间（分钟）"});

  // The planner saves a default style of their own in QGIS: a rerun keeps it as the default and
  // replaces kepumap's row instead of adding another.
  sh("ogrinfo " + shell_quote(gpkg) +
         " -sql \"INSERT INTO layer_styles (f_table_name, f_geometry_column, styleName, styleQML, "
         "useAsDefault) "
         "VALUES ('coverage_village', 'geom', '我的样式', '<qgis/>', 1)\"",
     &code);
  REQUIRE(code == 0);
  REQUIRE(run_kepumap("coverage " + abag() + " -o " + shell_quote(dir.string())).exit_code == 0);
  REQUIRE(run_kepumap("coverage " + abag() + " --lang en -o " + shell_quote(dir.string())).exit_code == 0);
  CHECK(sql_values(
            gpkg,
            "SELECT styleName FROM layer_styles WHERE f_table_name = 'coverage_village' AND useAsDefault = 1",
            "styleName") == std::vector<std::string>{"我的样式"});
  CHECK(sql_values(gpkg, "SELECT count(*) AS n FROM layer_styles WHERE f_table_name = 'coverage_village'",
                   "n") == std::vector<std::string>{"2"});
  CHECK(sql_values(gpkg, "SELECT count(*) AS n FROM layer_styles WHERE f_table_name = 'coverage_banner'",
                   "n") == std::vector<std::string>{"1"});
  // --lang en: English titles replace the Chinese ones.
  CHECK(sql_values(
            gpkg,
            "SELECT title FROM gpkg_data_columns WHERE table_name = 'coverage_village' AND column_name = "
            "'share_any'",
            "title") == std::vector<std::string>{"share by any"});
}

TEST_CASE(
    "outputs: travel writes QGIS styles beside its GeoTIFFs and the nearest facility as Int32 with names",
    "[cli][outputs][raster][qgis]") {
  const auto dir = fresh_dir("tif-qml");
  const auto r = run_kepumap("travel " + abag() + " --from museum -o " + shell_quote(dir.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  int code = -1;
  for (const char* f : {"travel_time.qml", "nearest_facility.qml"}) {
    REQUIRE(std::filesystem::exists(dir / f));
    sh("xmllint --noout " + shell_quote((dir / f).string()), &code);
    CHECK(code == 0);
  }
  const std::string tq = test::slurp(dir / "travel_time.qml");
  CHECK(tq.find("singlebandpseudocolor") != std::string::npos);
  CHECK(tq.find("classificationMax=\"180\"") != std::string::npos);  // styles/default.json max_min
  const std::string info = sh("gdalinfo " + shell_quote((dir / "nearest_facility.tif").string()));
  CHECK(info.find("Type=Int32") != std::string::npos);
  CHECK(info.find("NoData Value=-1") != std::string::npos);
  // The attribute table names the facility each cell's value stands for: the museum times.csv
  // gives as every village's nearest.
  CHECK(info.find("<GDALRasterAttributeTable") != std::string::npos);
  CHECK(info.find("阿巴嘎旗科技馆") != std::string::npos);
  CHECK(test::slurp(dir / "times.csv").find("阿巴嘎旗科技馆") != std::string::npos);
  CHECK(test::slurp(dir / "nearest_facility.qml").find("label=\"阿巴嘎旗科技馆\"") != std::string::npos);
  // The isochrones are styled too.
  CHECK(sql_values((dir / "isochrones.gpkg").string(),
                   "SELECT count(*) AS n FROM layer_styles WHERE useAsDefault = 1",
                   "n") == std::vector<std::string>{"1"});
  for (const auto& e : std::filesystem::directory_iterator(dir))
    CHECK_FALSE(core::is_temp_name(e.path().filename().string()));
}

TEST_CASE("outputs: --crs writes CGCS2000 or its Gauss-Kruger zone, an unknown --crs is one line and exit 2",
          "[cli][outputs][crs]") {
  const auto wgs = fresh_dir("crs-wgs"), cg = fresh_dir("crs-cgcs"), gk = fresh_dir("crs-gk");
  REQUIRE(run_kepumap("coverage " + abag() + " -o " + shell_quote(wgs.string())).exit_code == 0);
  REQUIRE(run_kepumap("coverage " + abag() + " --crs cgcs2000 -o " + shell_quote(cg.string())).exit_code ==
          0);
  REQUIRE(run_kepumap("coverage " + abag() + " --crs cgcs2000-gk -o " + shell_quote(gk.string())).exit_code ==
          0);
  auto srs_id = [](const std::filesystem::path& d) {
    return sql_values(
        (d / "coverage.gpkg").string(),
        "SELECT s.organization_coordsys_id AS id FROM gpkg_geometry_columns g JOIN gpkg_spatial_ref_sys s "
        "ON g.srs_id = s.srs_id WHERE g.table_name = 'coverage_banner'",
        "id");
  };
  CHECK(srs_id(wgs) == std::vector<std::string>{"4326"});
  CHECK(srs_id(cg) == std::vector<std::string>{"4490"});
  // 阿巴嘎旗 lies around 115°E: zone 38 (central meridian 114°E) of the 3-degree series, EPSG:4526.
  CHECK(srs_id(gk) == std::vector<std::string>{"4526"});
  // CGCS2000 and WGS84 coordinates agree within a micro-degree (the same numbers, another datum
  // name): the extents of the banner layer match.
  auto extent = [](const std::filesystem::path& d) {
    const std::string out =
        sh("ogrinfo -ro -so " + shell_quote((d / "coverage.gpkg").string()) + " coverage_banner");
    const auto at = out.find("Extent: (");
    double a = 0, b = 0, c = 0, e = 0;
    if (at != std::string::npos)
      std::sscanf(out.c_str() + at, "Extent: (%lf, %lf) - (%lf, %lf)", &a, &b, &c, &e);
    return std::array<double, 4>{a, b, c, e};
  };
  const auto ew = extent(wgs), ec = extent(cg), eg = extent(gk);
  for (int i = 0; i < 4; ++i) CHECK(std::abs(ew[i] - ec[i]) < 1e-6);
  CHECK(ew[0] > 113.0);
  CHECK(ew[2] < 117.0);
  // Gauss-Kruger zone 38: eastings carry the zone number (38 500 000 m at 114°E).
  CHECK(eg[0] > 38400000.0);
  CHECK(eg[2] < 38800000.0);
  const auto bad = run_kepumap("coverage " + abag() + " --crs utm50 -o " + shell_quote(wgs.string()));
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--crs") != std::string::npos);
  CHECK(bad.err.find("utm50") != std::string::npos);
}

TEST_CASE("outputs: sites.gpkg and caravan.gpkg open styled in QGIS (facility symbols, routes, stops)",
          "[cli][outputs][gpkg][qgis]") {
  const auto site = fresh_dir("qgis-site"), car = fresh_dir("qgis-caravan");
  auto r = run_kepumap("site " + abag() + " --problem mclp --p 2 -o " + shell_quote(site.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = run_kepumap("caravan " + abag() + " -o " + shell_quote(car.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto sq = sql_values(
      (site / "sites.gpkg").string(),
      "SELECT styleQML FROM layer_styles WHERE f_table_name = 'sites' AND useAsDefault = 1", "styleQML");
  REQUIRE(sq.size() == 1);
  CHECK(sq.front().find("class=\"SimpleMarker\"") != std::string::npos);
  CHECK(sq.front().find("v=\"diamond\"") != std::string::npos);  // the education base's symbol
  CHECK(sq.front().find("name=\"新增覆盖人口\"") != std::string::npos);
  const auto cq = sql_values(
      (car / "caravan.gpkg").string(),
      "SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault = 1 ORDER BY 1", "styleQML");
  REQUIRE(cq.size() == 2);
  CHECK(cq[0].find("class=\"SimpleLine\"") != std::string::npos);    // caravan_routes
  CHECK(cq[1].find("class=\"SimpleMarker\"") != std::string::npos);  // caravan_stops
  CHECK(cq[1].find("fieldName=\"名称\"") != std::string::npos);
  int code = -1;
  for (std::size_t i = 0; i < cq.size(); ++i) {
    const auto f = car / ("style" + std::to_string(i) + ".qml");
    { std::ofstream(f) << cq[i]; }
    sh("xmllint --noout " + shell_quote(f.string()), &code);
    CHECK(code == 0);
  }
}

TEST_CASE(
    "outputs: access.gpkg opens styled in QGIS (diverging index classes, catchments by facility) and its "
    "rasters as GeoTIFFs with a QML",
    "[cli][outputs][gpkg][qgis][access]") {
  const auto dir = fresh_dir("qgis-access");
  const std::string gpkg = (dir / "access.gpkg").string();
  const std::string run =
      "access " + abag() + " --method capacity --facility education_base -o " + shell_quote(dir.string());
  REQUIRE(run_kepumap(run).exit_code == 0);
  CHECK(sql_values(gpkg, "SELECT f_table_name FROM layer_styles WHERE useAsDefault = 1 ORDER BY 1",
                   "f_table_name") == std::vector<std::string>{"access_banner", "access_township",
                                                               "access_village", "capacity_catchments"});
  // The unit layers: graduated on the relative index in the style's 7 diverging classes, the
  // middle class (0.8 .. 1.25) holding the mean in the ramp's middle colour.
  const auto qml =
      sql_values(gpkg, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'access_village'", "styleQML");
  REQUIRE(qml.size() == 1);
  CHECK(qml.front().find("type=\"graduatedSymbol\" attr=\"relative\"") != std::string::npos);
  std::size_t ranges = 0;
  for (std::size_t at = 0; (at = qml.front().find("<range ", at)) != std::string::npos; ++at) ++ranges;
  CHECK(ranges == 7);
  CHECK(qml.front().find("lower=\"0.8\" upper=\"1.25\"") != std::string::npos);
  CHECK(qml.front().find("245,243,239,255") != std::string::npos);  // #f5f3ef, styles/default.json
  CHECK(
      sql_values(gpkg,
                 "SELECT title FROM gpkg_data_columns WHERE table_name = 'access_township' AND column_name = "
                 "'relative'",
                 "title") == std::vector<std::string>{"相对指数（均值=1）"});
  // The catchments: one category per facility, labelled, with the facility's name as in the table.
  const auto cq = sql_values(
      gpkg, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'capacity_catchments'", "styleQML");
  REQUIRE(cq.size() == 1);
  CHECK(cq.front().find("type=\"categorizedSymbol\" attr=\"name\"") != std::string::npos);
  const auto names = sql_values(gpkg, "SELECT name FROM capacity_catchments ORDER BY fid", "name");
  REQUIRE(!names.empty());
  for (const auto& n : names) CHECK(cq.front().find("<category value=\"" + n + "\"") != std::string::npos);
  CHECK(sql_values(gpkg, "SELECT identifier FROM gpkg_contents WHERE table_name = 'capacity_catchments'",
                   "identifier") == std::vector<std::string>{"容量服务圈"});
  // Rasters: QGIS 3.22 keeps no style for GeoPackage raster tables, so GeoTIFFs with a QML.
  int code = -1;
  for (const char* q : {"access_relative.qml", "catchment_facility.qml"}) {
    sh("xmllint --noout " + shell_quote((dir / q).string()), &code);
    CHECK(code == 0);
  }
  CHECK(test::slurp(dir / "access_relative.qml").find("colorRampType=\"DISCRETE\"") != std::string::npos);
  const std::string info = sh("gdalinfo " + shell_quote((dir / "catchment_facility.tif").string()), &code);
  REQUIRE(code == 0);
  CHECK(info.find("Type=Int32") != std::string::npos);
  CHECK(info.find(names.front()) != std::string::npos);  // the raster attribute table names the facilities
  CHECK(sh("gdalinfo " + shell_quote((dir / "access_relative.tif").string())).find("相对可达性指数") !=
        std::string::npos);

  // A rerun keeps what the planner added to access.gpkg.
  sh("ogrinfo " + shell_quote(gpkg) +
         " -sql \"INSERT INTO layer_styles (f_table_name, f_geometry_column, styleName, styleQML, "
         "useAsDefault) VALUES ('access_township', 'geom', '我的样式', '<qgis/>', 0)\"",
     &code);
  REQUIRE(code == 0);
  REQUIRE(run_kepumap(run + " --lang en").exit_code == 0);
  CHECK(sql_values(gpkg,
                   "SELECT styleName FROM layer_styles WHERE f_table_name = 'access_township' ORDER BY 1",
                   "styleName") == std::vector<std::string>{"kepumap 默认样式", "我的样式"});
  CHECK(
      sql_values(gpkg,
                 "SELECT title FROM gpkg_data_columns WHERE table_name = 'access_township' AND column_name = "
                 "'relative'",
                 "title") == std::vector<std::string>{"relative index (mean = 1)"});
}
