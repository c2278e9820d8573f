// Bad input: each case gives clear problems naming file, layer and feature — never a crash.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "io/errors.hpp"
#include "io/project.hpp"
#include "io/vector_reader.hpp"
#include "io_test_util.hpp"
#include "shp_test_util.hpp"

using namespace kepumap;
using test::contains;
using test::problem_lines;
using test::ScratchDir;
using test::write_squares_shp;

namespace {

core::Document load(const std::string& file, const std::string& layer = {}) {
  return io::load_data_file(file, layer);
}

const char* k_two_points = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"n":"a"},"geometry":{"type":"Point","coordinates":[114.5,44.0]}},
{"type":"Feature","properties":{"n":"b"},"geometry":{"type":"Point","coordinates":[114.6,44.1]}}]})";

}  // namespace

TEST_CASE("bad input: a missing file is one error naming it", "[io][bad]") {
  auto doc = load("/nonexistent/folder/roads.shp");
  REQUIRE(doc.diagnostics.problems.size() == 1);
  CHECK(doc.diagnostics.problems[0].to_line() ==
        "error: /nonexistent/folder/roads.shp: file not found (文件不存在)");
  CHECK(doc.layers.empty());
}

TEST_CASE("bad input: a truncated .shp is an error, not a crash", "[io][bad]") {
  ScratchDir dir("truncated");
  const auto shp = dir.file("cut.shp");
  write_squares_shp(shp, 200, {"a"}, nullptr, 4326);
  const auto full = std::filesystem::file_size(shp);
  {
    auto ok = load(shp);
    INFO(problem_lines(ok.diagnostics));
    REQUIRE_FALSE(ok.diagnostics.has_errors());
    CHECK(ok.layers[0].geom.feature_count() == 200);
  }
  std::filesystem::resize_file(shp, full / 2);
  auto doc = load(shp);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE(doc.diagnostics.has_errors());
  CHECK(contains(s, "error: " + shp + ": "));
  CHECK(contains(s, "damaged"));
  CHECK(doc.layers.empty());
}

TEST_CASE("bad input: garbage in a .gpkg is an error", "[io][bad]") {
  ScratchDir dir("garbage");
  std::string junk;
  for (int i = 0; i < 4000; ++i) junk += static_cast<char>((i * 7919) % 251);
  const auto f = dir.write("broken.gpkg", junk);
  auto doc = load(f);
  REQUIRE(doc.diagnostics.problems.size() == 1);
  CHECK(
      contains(doc.diagnostics.problems[0].to_line(), "error: " + f + ": cannot open: the file is damaged"));
}

TEST_CASE("bad input: an empty layer is an error", "[io][bad]") {
  ScratchDir dir("empty");
  const auto f = dir.write("empty.geojson", R"({"type":"FeatureCollection","features":[]})");
  auto doc = load(f);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE(doc.diagnostics.problems.size() == 1);
  CHECK(contains(s, "layer empty: the layer is empty: no features"));
}

TEST_CASE("bad input: NULL geometries are dropped with a warning naming each feature", "[io][bad]") {
  ScratchDir dir("null");
  const auto f = dir.write("nulls.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"n":"a"},"geometry":null},
{"type":"Feature","properties":{"n":"b"},"geometry":{"type":"Point","coordinates":[114.5,44.0]}},
{"type":"Feature","properties":{"n":"c"},"geometry":{"type":"Polygon","coordinates":[]}}]})");
  auto doc = load(f);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE_FALSE(doc.diagnostics.has_errors());
  REQUIRE(doc.layers.size() == 1);
  const auto& l = doc.layers[0];
  CHECK(l.geom.feature_count() == 1);
  CHECK(l.source_index == std::vector<long long>{1});
  CHECK(l.attrs.columns[0].text(0) == "b");
  CHECK(l.report.features_read == 3);
  CHECK(l.report.features_dropped == 2);
  CHECK(contains(s, "warning: " + f + ": layer nulls: feature 0: no geometry (NULL), dropped"));
  // GDAL reads empty polygon coordinates as no geometry.
  CHECK(contains(s, "warning: " + f + ": layer nulls: feature 2: no geometry (NULL), dropped"));

  // Only NULL geometries: nothing usable is an error.
  const auto g = dir.write("allnull.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"n":"a"},"geometry":null}]})");
  auto doc2 = load(g);
  CHECK(doc2.diagnostics.has_errors());
  CHECK(contains(problem_lines(doc2.diagnostics), "no usable features: all 1 were dropped"));
}

TEST_CASE("bad input: NaN and infinite coordinates are dropped with a warning", "[io][bad]") {
  ScratchDir dir("nan");
  const auto f = dir.write("nan.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"n":"a"},"geometry":{"type":"Point","coordinates":[114.5,44.0]}},
{"type":"Feature","properties":{"n":"b"},"geometry":{"type":"Point","coordinates":[NaN,44.0]}},
{"type":"Feature","properties":{"n":"c"},"geometry":{"type":"Point","coordinates":[114.0,1e999]}},
{"type":"Feature","properties":{"n":"d"},"geometry":{"type":"LineString","coordinates":[[114.0,44.0],[Infinity,44.5]]}}]})");
  auto doc = load(f);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  // Feature 3 is a line among points: a mixed layer, an error naming feature 3.
  CHECK(contains(s, "feature 1: NaN or infinite coordinates, dropped"));
  CHECK(contains(s, "feature 2: NaN or infinite coordinates, dropped"));
  CHECK(contains(s, "feature 3: mixed geometry types"));

  const auto g = dir.write("nan2.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[114,44],[115,44],[115,NaN],[114,44]]]}},
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[114,44],[115,44],[115,45],[114,44]]]}}]})");
  auto doc2 = load(g);
  const auto s2 = problem_lines(doc2.diagnostics);
  INFO(s2);
  REQUIRE_FALSE(doc2.diagnostics.has_errors());
  CHECK(doc2.layers[0].geom.feature_count() == 1);
  CHECK(doc2.layers[0].source_index[0] == 1);
  CHECK(contains(s2, "feature 0: NaN or infinite coordinates, dropped"));
}

TEST_CASE("bad input: mixed geometry types in one layer name the first odd feature", "[io][bad]") {
  ScratchDir dir("mixed");
  const auto f = dir.write("mixed.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[114.5,44.0]}},
{"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[[114.5,44.0],[114.6,44.0]]}},
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[114,44],[115,44],[115,45],[114,44]]]}}]})");
  auto doc = load(f);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE(doc.diagnostics.problems.size() == 1);
  CHECK(contains(s, "error: " + f + ": layer mixed: feature 2: mixed geometry types in one layer"));
  CHECK(contains(s, "this feature is a Polygon but feature 0 is a Point"));
}

TEST_CASE("bad input: Z and M coordinates are read as 2-D with a warning", "[io][bad]") {
  ScratchDir dir("zm");
  const auto f = dir.write("z.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[114.5,44.0,1200],[114.6,44.1,1300]]}}]})");
  auto doc = load(f);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE_FALSE(doc.diagnostics.has_errors());
  CHECK(doc.layers[0].geom.coords.size() == 2);
  CHECK(contains(
      s, "warning: " + f + ": layer z: 1 features have Z or M coordinates; read as 2-D, Z/M dropped"));

  // A measured (XYM) and an XYZM point in a GeoPackage.
  const auto gpkg = dir.file("zm.gpkg");
  {
    GDALAllRegister();
    GDALDataset* ds =
        GetGDALDriverManager()->GetDriverByName("GPKG")->Create(gpkg.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    REQUIRE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    OGRLayer* l = ds->CreateLayer("pts", &srs, wkbPointZM, nullptr);
    for (int i = 0; i < 2; ++i) {
      OGRFeature* ft = OGRFeature::CreateFeature(l->GetLayerDefn());
      OGRPoint p(114.0 + i, 44.0, 1000.0, 5.0);
      ft->SetGeometry(&p);
      REQUIRE(l->CreateFeature(ft) == OGRERR_NONE);
      OGRFeature::DestroyFeature(ft);
    }
    GDALClose(ds);
  }
  auto doc2 = load(gpkg);
  const auto s2 = problem_lines(doc2.diagnostics);
  INFO(s2);
  REQUIRE_FALSE(doc2.diagnostics.has_errors());
  CHECK(doc2.layers[0].geom.feature_count() == 2);
  CHECK(contains(s2, "2 features have Z or M coordinates; read as 2-D"));
}

TEST_CASE("bad input: a DBF in GBK without .cpg decodes to the right Chinese", "[io][bad][encoding]") {
  ScratchDir dir("gbk");
  const auto shp = dir.file("gachaa.shp");
  const std::vector<std::string> names{"别力古台镇", "洪格尔高勒镇", "吉尔嘎郎图苏木", "巴彦图嘎苏木"};
  write_squares_shp(shp, 4, names, "CP936", 4490);
  auto cpg = std::filesystem::path(shp).replace_extension(".cpg");
  REQUIRE(std::filesystem::exists(cpg));
  std::filesystem::remove(cpg);
  // The bytes in the DBF really are GBK: 别 is B1 F0.
  {
    std::ifstream in(std::filesystem::path(shp).replace_extension(".dbf"), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(contains(bytes, "\xB1\xF0"));
    CHECK_FALSE(contains(bytes, "别"));
  }
  auto doc = load(shp);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE_FALSE(doc.diagnostics.has_errors());
  const auto& l = doc.layers[0];
  const int col = l.attrs.find("name");
  REQUIRE(col >= 0);
  for (std::size_t i = 0; i < 4; ++i)
    CHECK(l.attrs.columns[static_cast<std::size_t>(col)].text(i) == names[i]);
  CHECK(contains(l.report.encoding, "GB18030 (detected"));
  CHECK(contains(l.report.source_crs, "EPSG:4490"));
  CHECK(contains(s, "no .cpg file; attributes decoded as GB18030"));

  // A project may force the encoding; forcing the right one gives the same text.
  io::VectorReadOptions o;
  o.encoding = "GBK";
  core::Diagnostics d;
  auto forced = io::read_vector_lonlat(shp, o, d);
  REQUIRE(forced);
  CHECK(forced->attrs.columns[0].text(2) == names[2]);
  CHECK(contains(forced->report.encoding, "set in the project"));

  // With the .cpg present GDAL decodes it.
  ScratchDir dir2("gbk-cpg");
  const auto shp2 = dir2.file("with_cpg.shp");
  write_squares_shp(shp2, 4, names, "CP936", 4490);
  auto doc2 = load(shp2);
  REQUIRE_FALSE(doc2.diagnostics.has_errors());
  CHECK(doc2.layers[0].attrs.columns[0].text(1) == names[1]);
  CHECK(contains(doc2.layers[0].report.encoding, ".cpg"));
}

TEST_CASE("bad input: a CSV with no coordinate columns is an error", "[io][bad]") {
  ScratchDir dir("csv");
  const auto f = dir.write("sites.csv", "名称,地址\n科技馆,别力古台镇\n");
  auto doc = load(f);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE(doc.diagnostics.has_errors());
  CHECK(contains(s, "error: " + f));
  CHECK(doc.layers.empty());

  // A good CSV point table loads through the same call.
  const auto g = dir.write("ok.csv", "名称,经度,纬度\n科技馆,114.95,44.02\n基地,\"114°57′30″\",44.1\n");
  auto ok = load(g);
  INFO(problem_lines(ok.diagnostics));
  REQUIRE_FALSE(ok.diagnostics.has_errors());
  CHECK(ok.layers[0].geom.feature_count() == 2);
  CHECK(ok.layers[0].report.driver == "CSV");
  CHECK(ok.layers[0].report.extent_lonlat.max_x == Approx(114.958333).epsilon(1e-6));
}

TEST_CASE("bad input: coordinates out of range are an error naming the feature", "[io][bad]") {
  ScratchDir dir("range");
  const auto f = dir.write("far.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[114.5,44.0]}},
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[514.5,44.0]}}]})");
  auto doc = load(f);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE(doc.diagnostics.problems.size() == 1);
  CHECK(contains(s, "error: " + f + ": layer far: feature 1: coordinates out of longitude/latitude range"));
}

TEST_CASE("CRS: none and lon/lat numbers -> WGS84 with a warning - none and metres -> error asking for crs",
          "[io][crs]") {
  ScratchDir dir("nocrs");
  const auto lonlat = dir.file("lonlat.shp");
  write_squares_shp(lonlat, 3, {"a"}, nullptr, 0);
  auto doc = load(lonlat);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE_FALSE(doc.diagnostics.has_errors());
  CHECK(
      contains(s, "warning: " + lonlat +
                      ": layer lonlat: the source has no CRS; its coordinates look like longitude/latitude"));
  CHECK(contains(doc.layers[0].report.source_crs, "assumed"));

  const auto metres = dir.file("metres.shp");
  write_squares_shp(metres, 3, {"a"}, nullptr, 0, 500000.0, 4800000.0, 1000.0);
  auto doc2 = load(metres);
  const auto s2 = problem_lines(doc2.diagnostics);
  INFO(s2);
  REQUIRE(doc2.diagnostics.problems.size() == 1);
  CHECK(contains(
      s2,
      "error: " + metres +
          ": layer metres: field crs: the source has no CRS and its coordinates are not longitude/latitude"));

  // The same file with a Gauss-Krüger CGCS2000 zone (EPSG:4524, 3-degree zone 38 has false
  // easting 38500000; use zone CM 114E EPSG:4547 without the zone prefix) given as override.
  io::VectorReadOptions o;
  o.crs = "EPSG:4547";
  core::Diagnostics d;
  auto l = io::read_vector_lonlat(metres, o, d);
  INFO(problem_lines(d));
  REQUIRE(l);
  CHECK(l->report.extent_lonlat.min_x == Approx(114.0).margin(0.01));
  CHECK(l->report.extent_lonlat.min_y == Approx(43.35).margin(0.1));
}

TEST_CASE("CRS: a GCJ-02 override shifts web-map coordinates by a few hundred metres", "[io][crs]") {
  ScratchDir dir("gcj");
  const auto f = dir.write("pts.geojson", k_two_points);
  io::VectorReadOptions plain, gcj;
  gcj.crs = "GCJ-02";
  core::Diagnostics d;
  auto a = io::read_vector_lonlat(f, plain, d);
  auto b = io::read_vector_lonlat(f, gcj, d);
  INFO(problem_lines(d));
  REQUIRE(a);
  REQUIRE(b);
  CHECK(b->report.source_crs.find("GCJ") != std::string::npos);
  const double dx = (a->geom.coords[0].x - b->geom.coords[0].x) * 111320.0 * std::cos(44.0 * M_PI / 180.0);
  const double dy = (a->geom.coords[0].y - b->geom.coords[0].y) * 110540.0;
  const double shift = std::hypot(dx, dy);
  CHECK(shift > 100.0);
  CHECK(shift < 1000.0);
}

TEST_CASE("bad input: several layers and none named - a misspelt layer name", "[io][bad]") {
  ScratchDir dir("multi");
  const auto gpkg = dir.file("two.gpkg");
  {
    GDALAllRegister();
    GDALDataset* ds =
        GetGDALDriverManager()->GetDriverByName("GPKG")->Create(gpkg.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    for (const char* name : {"villages", "roads"}) {
      OGRLayer* l = ds->CreateLayer(name, &srs, wkbPoint, nullptr);
      OGRFeature* ft = OGRFeature::CreateFeature(l->GetLayerDefn());
      OGRPoint p(114.0, 44.0);
      ft->SetGeometry(&p);
      REQUIRE(l->CreateFeature(ft) == OGRERR_NONE);
      OGRFeature::DestroyFeature(ft);
    }
    GDALClose(ds);
  }
  core::Diagnostics d;
  CHECK_FALSE(io::read_vector_lonlat(gpkg, {}, d));
  CHECK(contains(problem_lines(d), "the source has 2 layers; say which one"));
  io::VectorReadOptions o;
  o.layer = "vilages";
  core::Diagnostics d2;
  CHECK_FALSE(io::read_vector_lonlat(gpkg, o, d2));
  CHECK(contains(problem_lines(d2),
                 "field layer: no layer 'vilages' in the source (did you mean 'villages'?)"));
  // `kepumap info` on a multi-layer file without --layer shows every layer.
  auto doc = load(gpkg);
  REQUIRE_FALSE(doc.diagnostics.has_errors());
  CHECK(doc.layers.size() == 2);
}

TEST_CASE("project: layers load with roles, relative paths, a mapped field and the auto analysis CRS",
          "[io][project]") {
  ScratchDir dir("project");
  dir.write("pts.geojson", k_two_points);
  dir.write("sites.csv", "名称,lon,lat\n科技馆,114.95,44.02\n");
  const auto toml = dir.write("project.toml", R"([project]
name = "测试"
[[layer]]
name = "villages"
role = "village"
source = "pts.geojson"
fields = { name = "n" }
[[layer]]
name = "museums"
role = "museum"
source = "sites.csv"
fields = { name = "名称" }
)");
  auto doc = io::load_project(toml);
  INFO(problem_lines(doc.diagnostics));
  REQUIRE_FALSE(doc.diagnostics.has_errors());
  REQUIRE(doc.layers.size() == 2);
  CHECK(doc.layers[0].role == core::Role::Village);
  CHECK(doc.layers[0].column(doc.layers[0].fields.name) == 0);
  CHECK(doc.layers[1].role == core::Role::Museum);
  CHECK(contains(doc.analysis_crs, "+proj=aea"));
  // Metres in the analysis CRS: the two villages are about 13.7 km apart.
  const auto& c = doc.layers[0].geom.coords;
  CHECK(std::hypot(c[1].x - c[0].x, c[1].y - c[0].y) == Approx(13690).epsilon(0.01));

  // A field mapping that names a missing attribute is an error with a suggestion.
  const auto bad = dir.write("bad.toml", R"([project]
name = "测试"
[[layer]]
name = "villages"
role = "village"
source = "pts.geojson"
fields = { name = "N" }
[[layer]]
name = "gone"
role = "road"
source = "roads.gpkg"
)");
  auto doc2 = io::load_project(bad);
  const auto s = problem_lines(doc2.diagnostics);
  INFO(s);
  CHECK(contains(s,
                 "layer villages: field N: fields.name names attribute 'N', which the layer does not have "
                 "(did you mean 'n'?)"));
  CHECK(contains(s, "error: " + dir.file("roads.gpkg") + ": layer gone: file not found"));
  CHECK_THROWS_AS(io::load_project_or_throw(bad), io::DataError);
}

TEST_CASE("OSM: a source with several layers reads the one asked for", "[io][osm]") {
  ScratchDir dir("osm");
  const auto f = dir.write("tiny.osm", R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="44.02" lon="114.95" version="1"><tag k="amenity" v="museum"/><tag k="name" v="阿巴嘎旗科技馆"/></node>
  <node id="2" lat="44.00" lon="114.90" version="1"/>
  <node id="3" lat="44.05" lon="115.00" version="1"/>
  <way id="10" version="1"><nd ref="2"/><nd ref="3"/><tag k="highway" v="secondary"/><tag k="name" v="S101"/></way>
</osm>
)");
  core::Diagnostics d;
  CHECK_FALSE(io::read_vector_lonlat(f, {}, d));
  CHECK(contains(problem_lines(d), "layers; say which one"));
  io::VectorReadOptions o;
  o.layer = "lines";
  core::Diagnostics d2;
  auto lines = io::read_vector_lonlat(f, o, d2);
  INFO(problem_lines(d2));
  REQUIRE(lines);
  CHECK(lines->report.driver == "OSM");
  CHECK(lines->geom.kind == core::GeomKind::Line);
  REQUIRE(lines->geom.feature_count() == 1);
  CHECK(lines->geom.coords.size() == 2);
  o.layer = "points";
  auto pts = io::read_vector_lonlat(f, o, d2);
  REQUIRE(pts);
  REQUIRE(pts->geom.feature_count() == 1);
  CHECK(pts->attrs.columns[static_cast<std::size_t>(pts->attrs.find("name"))].text(0) == "阿巴嘎旗科技馆");

  // The whole file (kepumap info without --layer): the two layers with features; empty ones
  // are skipped with a warning.
  auto doc = load(f);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE_FALSE(doc.diagnostics.has_errors());
  REQUIRE(doc.layers.size() == 2);
  CHECK(doc.layers[0].name == "points");
  CHECK(doc.layers[1].name == "lines");
  CHECK(contains(s, "warning: " + f + ": layer multipolygons: the layer is empty, skipped"));
}

TEST_CASE("CRS: degrees under a projected CRS and a layer far from the others are warned about",
          "[io][crs]") {
  ScratchDir dir("crs-warn");
  const auto pts = dir.write("pts.geojson", k_two_points);
  dir.write("far.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[10.0,50.0]}}]})");
  const auto toml = dir.write("project.toml", R"([project]
name = "测试"
[[layer]]
name = "villages"
role = "village"
source = "pts.geojson"
crs = "EPSG:4547"
[[layer]]
name = "museums"
role = "museum"
source = "pts.geojson"
[[layer]]
name = "far"
role = "other"
source = "far.geojson"
)");
  auto doc = io::load_project(toml);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  CHECK(contains(s, "warning: " + pts + ": layer villages: the CRS (EPSG:4547"));
  CHECK(contains(s, "is projected but the coordinates look like longitude/latitude"));
  CHECK(
      contains(s, "layer far: field crs: the layer lies more than 1 degree away from all the other layers"));
}

TEST_CASE("project: a geographic analysis CRS is refused - a projected one is used as given", "[io][crs]") {
  ScratchDir dir("analysis-crs");
  dir.write("pts.geojson", k_two_points);
  const auto geographic = dir.write("geo.toml",
                                    "[project]\nname = \"x\"\ncrs = \"EPSG:4490\"\n[[layer]]\nname = "
                                    "\"v\"\nrole = \"village\"\nsource = \"pts.geojson\"\n");
  auto doc = io::load_project(geographic);
  const auto s = problem_lines(doc.diagnostics);
  INFO(s);
  REQUIRE(doc.diagnostics.has_errors());
  CHECK(contains(s, "field crs: the analysis CRS must be projected, in metres"));
  const auto projected = dir.write("gk.toml",
                                   "[project]\nname = \"x\"\ncrs = \"EPSG:4547\"\n[[layer]]\nname = "
                                   "\"v\"\nrole = \"village\"\nsource = \"pts.geojson\"\n");
  auto doc2 = io::load_project(projected);
  INFO(problem_lines(doc2.diagnostics));
  REQUIRE_FALSE(doc2.diagnostics.has_errors());
  CHECK(doc2.analysis_crs == "EPSG:4547");
  // CGCS2000 / 3-degree Gauss-Kruger CM 114E: 114.5E lies about 40 km east of the false easting.
  CHECK(doc2.layers[0].geom.coords[0].x == Approx(500000.0 + 40100.0).margin(500.0));
}

TEST_CASE("bad input: damaged copies of good files never crash the reader", "[io][bad][mutate]") {
  // Deterministic byte damage (overwrites and truncations) of a GeoJSON file and of a shapefile's
  // .shp and .dbf: every load must end with either layers or errors, never a crash or a hang.
  ScratchDir dir("mutate");
  const std::string good_json = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"别力古台镇","pop":26221},"geometry":{"type":"Polygon","coordinates":[[[114,44],[115,44],[115,45],[114,44]]]}},
{"type":"Feature","properties":{"name":"洪格尔高勒镇","pop":3120},"geometry":{"type":"MultiPolygon","coordinates":[[[[116,44],[117,44],[117,45],[116,44]]]]}}]})";
  const auto shp = dir.file("good.shp");
  write_squares_shp(shp, 30, {"吉尔嘎郎图苏木", "那仁宝拉格苏木"}, "CP936", 4490);
  auto read_all = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  const std::string shp_bytes = read_all(shp);
  const std::string dbf_bytes = read_all(std::filesystem::path(shp).replace_extension(".dbf"));
  std::uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  auto damage = [&](std::string bytes) {
    const int kind = static_cast<int>(next() % 3);
    if (kind == 0 && bytes.size() > 2) {
      bytes.resize(next() % bytes.size());
      return bytes;
    }
    const int n = 1 + static_cast<int>(next() % 8);
    for (int i = 0; i < n; ++i) bytes[next() % bytes.size()] = static_cast<char>(next() & 0xff);
    return bytes;
  };
  int loaded = 0, refused = 0;
  for (int round = 0; round < 40; ++round) {
    std::string base = "m";  // (built step by step: GCC 12 warns falsely on "literal" + std::string)
    base += std::to_string(round);
    const auto json = dir.write(base + ".geojson", damage(good_json));
    auto d1 = io::load_data_file(json);
    (d1.diagnostics.has_errors() ? refused : loaded)++;
    CHECK((d1.diagnostics.has_errors() || !d1.layers.empty()));

    base[0] = 's';
    std::filesystem::copy_file(std::filesystem::path(shp).replace_extension(".shx"),
                               dir.path() / (base + ".shx"));
    std::filesystem::copy_file(std::filesystem::path(shp).replace_extension(".prj"),
                               dir.path() / (base + ".prj"));
    const bool hit_dbf = round % 2 == 1;
    dir.write(base + ".shp", hit_dbf ? shp_bytes : damage(shp_bytes));
    dir.write(base + ".dbf", hit_dbf ? damage(dbf_bytes) : dbf_bytes);
    auto d2 = io::load_data_file(dir.file(base + ".shp"));
    (d2.diagnostics.has_errors() ? refused : loaded)++;
    CHECK((d2.diagnostics.has_errors() || !d2.layers.empty()));
    for (const auto& l : d2.layers) CHECK(l.geom.feature_count() == l.attrs.row_count());
  }
  INFO("loaded " << loaded << ", refused " << refused);
  CHECK(refused > 0);
}
