// Writing layers and rasters: round trips through GeoPackage, GeoJSON, CSV, KML, GPX and
// FlatGeobuf read back equal; population rasters keep their total through the warp.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/atomic_file.hpp"
#include "geo/crs.hpp"
#include "io/errors.hpp"
#include "io/raster_io.hpp"
#include "io/vector_reader.hpp"
#include "io/vector_writer.hpp"
#include "io_test_util.hpp"
#include "skip.hpp"

using namespace kepumap;
using test::contains;
using test::problem_lines;
using test::ScratchDir;

namespace {

const core::BBox k_abag{113.9, 43.3, 116.2, 45.5};

/// Two polygons in the analysis CRS (one with a hole, one multi-part) and a table of every type.
struct Sample {
  std::string crs = geo::analysis_crs_for(k_abag);
  core::Geometries polys;
  core::Table attrs;
  core::Geometries points;
  core::Table point_attrs;

  Sample() {
    polys.kind = core::GeomKind::Polygon;
    auto square = [](double x, double y, double s, bool ccw) {
      std::vector<core::Vec2> r{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}};
      if (!ccw) std::reverse(r.begin(), r.end());
      return r;
    };
    polys.add_ring(square(0, 0, 10000, true));
    polys.add_ring(square(2000, 2000, 3000, false));
    polys.end_part();
    polys.end_feature();
    polys.add_ring(square(20000, 0, 5000, true));
    polys.end_part();
    polys.add_ring(square(30000, 0, 5000, true));
    polys.end_part();
    polys.end_feature();
    const int name = attrs.add_column("name", core::FieldType::Text);
    const int pop = attrs.add_column("population", core::FieldType::Integer);
    const int share = attrs.add_column("pastoral", core::FieldType::Real);
    attrs.columns[static_cast<std::size_t>(name)].push_text("巴彦图嘎苏木");
    attrs.columns[static_cast<std::size_t>(pop)].push_int(3120);
    attrs.columns[static_cast<std::size_t>(share)].push_real(0.875);
    attrs.columns[static_cast<std::size_t>(name)].push_text("别力古台镇");
    attrs.columns[static_cast<std::size_t>(pop)].push_null();
    attrs.columns[static_cast<std::size_t>(share)].push_real(0.125);

    points.kind = core::GeomKind::Point;
    points.add_point_feature({1000.0, -2000.0});
    points.add_point_feature({-15000.5, 7000.25});
    const int pn = point_attrs.add_column("name", core::FieldType::Text);
    point_attrs.columns[static_cast<std::size_t>(pn)].push_text("科技馆");
    point_attrs.columns[static_cast<std::size_t>(pn)].push_text("教育基地");
  }
};

core::Layer read_back(const std::string& file, const std::string& layer, const std::string& crs) {
  io::VectorReadOptions o;
  o.layer = layer;
  core::Diagnostics w;
  return io::read_vector_layer(file, o, crs, &w);
}

void check_same_geometry(const core::Geometries& a, const core::Geometries& b, double tol_m) {
  REQUIRE(a.feature_count() == b.feature_count());
  REQUIRE(a.part_count() == b.part_count());
  REQUIRE(a.ring_count() == b.ring_count());
  REQUIRE(a.coords.size() == b.coords.size());
  for (std::size_t f = 0; f < a.feature_count(); ++f) {
    CHECK(core::feature_area(a, static_cast<core::FeatureId>(f)) ==
          Approx(core::feature_area(b, static_cast<core::FeatureId>(f))).epsilon(1e-9));
  }
  // Same rings, possibly starting elsewhere after repair normalisation: compare as sets of vertices.
  for (std::uint32_t r = 0; r < a.ring_count(); ++r) {
    for (const auto& p : a.ring(r)) {
      bool found = false;
      for (const auto& q : b.ring(r)) found = found || std::hypot(p.x - q.x, p.y - q.y) < tol_m;
      CHECK(found);
    }
  }
}

}  // namespace

TEST_CASE("writer: GeoPackage with two layers reads back equal", "[io][write]") {
  ScratchDir dir("gpkg");
  Sample s;
  const auto file = dir.file("out.gpkg");
  io::WriteOptions o;
  o.analysis_crs = s.crs;
  io::write_layers(file, {{"townships", &s.polys, &s.attrs}, {"museums", &s.points, &s.point_attrs}}, o);
  CHECK(io::list_vector_layers(file) == std::vector<std::string>{"townships", "museums"});
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    CHECK_FALSE(core::is_temp_name(e.path().filename().string()));

  auto t = read_back(file, "townships", s.crs);
  check_same_geometry(s.polys, t.geom, 1e-3);
  CHECK(t.report.repaired.empty());
  REQUIRE(t.attrs.find("name") >= 0);
  const auto& name = t.attrs.columns[static_cast<std::size_t>(t.attrs.find("name"))];
  const auto& pop = t.attrs.columns[static_cast<std::size_t>(t.attrs.find("population"))];
  const auto& share = t.attrs.columns[static_cast<std::size_t>(t.attrs.find("pastoral"))];
  CHECK(name.text(0) == "巴彦图嘎苏木");
  CHECK(name.text(1) == "别力古台镇");
  CHECK(pop.type == core::FieldType::Integer);
  CHECK(pop.ints[0] == 3120);
  CHECK(pop.is_null(1));
  CHECK(share.reals[0] == 0.875);

  auto m = read_back(file, "museums", s.crs);
  check_same_geometry(s.points, m.geom, 1e-3);
  CHECK(m.attrs.columns[0].text(1) == "教育基地");

  // Writing one layer again into the same GeoPackage replaces it and keeps the other.
  core::Geometries one;
  one.kind = core::GeomKind::Point;
  one.add_point_feature({0, 0});
  io::write_layers(file, {{"museums", &one, nullptr}}, o);
  CHECK(io::list_vector_layers(file).size() == 2);
  CHECK(read_back(file, "museums", s.crs).geom.feature_count() == 1);
  CHECK(read_back(file, "townships", s.crs).geom.feature_count() == 2);
}

TEST_CASE("writer: GeoJSON, FlatGeobuf, KML, CSV and GPX read back", "[io][write]") {
  ScratchDir dir("formats");
  Sample s;
  io::WriteOptions o;
  o.analysis_crs = s.crs;
  for (const char* name : {"out.geojson", "out.fgb"}) {
    INFO(name);
    const auto file = dir.file(name);
    io::write_layers(file, {{"townships", &s.polys, &s.attrs}}, o);
    auto t = read_back(file, "", s.crs);
    check_same_geometry(s.polys, t.geom, 1e-3);
    CHECK(t.attrs.columns[static_cast<std::size_t>(t.attrs.find("name"))].text(0) == "巴彦图嘎苏木");
  }
  {
    const auto file = dir.file("out.kml");
    io::write_layers(file, {{"townships", &s.polys, &s.attrs}}, o);
    auto t = read_back(file, "", s.crs);
    // KML stores decimal degrees with limited digits: centimetres.
    check_same_geometry(s.polys, t.geom, 0.05);
  }
  {
    const auto file = dir.file("pts.csv");
    io::write_layers(file, {{"museums", &s.points, &s.point_attrs}}, o);
    auto t = read_back(file, "", s.crs);
    check_same_geometry(s.points, t.geom, 0.01);
    CHECK(t.attrs.columns[static_cast<std::size_t>(t.attrs.find("name"))].text(0) == "科技馆");
  }
  {
    const auto file = dir.file("pts.gpx");
    io::write_layers(file, {{"museums", &s.points, &s.point_attrs}}, o);
    auto t = read_back(file, "waypoints", s.crs);
    check_same_geometry(s.points, t.geom, 0.01);
  }
  CHECK_THROWS_AS(io::write_layers(dir.file("x.gpx"), {{"t", &s.polys, nullptr}}, o), io::DataError);
  CHECK_THROWS_AS(io::write_layers(dir.file("x.dwg"), {{"t", &s.polys, nullptr}}, o), io::DataError);
  CHECK_THROWS_AS(
      io::write_layers(dir.file("two.geojson"), {{"a", &s.polys, nullptr}, {"b", &s.points, nullptr}}, o),
      io::DataError);
}

TEST_CASE("writer: a failed write leaves the existing file as it was", "[io][write]") {
  ScratchDir dir("keep");
  Sample s;
  io::WriteOptions o;
  o.analysis_crs = s.crs;
  const auto file = dir.write("keep.geojson", "precious");
  core::Table wrong_rows;  // one row for two features
  wrong_rows.add_column("x", core::FieldType::Integer);
  wrong_rows.columns[0].push_int(1);
  CHECK_THROWS_AS(io::write_layers(file, {{"t", &s.polys, &wrong_rows}}, o), io::DataError);
  std::ifstream in(file);
  std::string content;
  std::getline(in, content);
  CHECK(content == "precious");
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator{}) == 1);
}

TEST_CASE("raster: a population GeoTIFF keeps its total through the warp to the analysis CRS",
          "[io][raster]") {
  ScratchDir dir("raster");
  const auto tif = dir.file("pop.tif");
  // 120 x 90 cells of 0.01 degree over Abag, a smooth count surface, a NoData block.
  const int w = 120, h = 90;
  double total = 0.0;
  {
    GDALAllRegister();
    GDALDataset* ds =
        GetGDALDriverManager()->GetDriverByName("GTiff")->Create(tif.c_str(), w, h, 1, GDT_Float32, nullptr);
    REQUIRE(ds);
    double gt[6] = {114.0, 0.01, 0, 44.8, 0, -0.01};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    ds->SetSpatialRef(&srs);
    std::vector<float> v(static_cast<std::size_t>(w * h));
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < w; ++c) {
        float x = static_cast<float>(5.0 + 4.0 * std::sin(c * 0.1) * std::cos(r * 0.07));
        if (r < 10 && c < 10)
          x = -9999.0f;
        else
          total += x;
        v[static_cast<std::size_t>(r * w + c)] = x;
      }
    ds->GetRasterBand(1)->SetNoDataValue(-9999.0);
    REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, w, h, v.data(), w, h, GDT_Float32, 0, 0) ==
            CE_None);
    GDALClose(ds);
  }
  const std::string crs = geo::analysis_crs_for(k_abag);
  core::Diagnostics d;
  core::LayerReport rep;
  auto ext = io::raster_extent_lonlat(tif, "", d);
  REQUIRE(ext);
  CHECK(ext->min_x == Approx(114.0));
  CHECK(ext->max_y == Approx(44.8));
  for (double cell : {500.0, 2000.0}) {
    INFO("cell " << cell);
    auto g = io::read_population_raster(tif, "", crs, cell, rep, d);
    INFO(problem_lines(d));
    REQUIRE(g);
    CHECK(g->cell == cell);
    CHECK(std::fmod(g->origin_x, cell) == Approx(0.0).margin(1e-6));
    double out = 0.0;
    std::size_t negative = 0;
    for (float x : g->data) {
      negative += x < 0.0f;
      out += x;
    }
    CHECK(negative == 0);
    CHECK(out == Approx(total).epsilon(0.005));
  }
  CHECK(contains(rep.source_crs, "EPSG:4326"));

  // Write and read back exactly.
  auto g = io::read_population_raster(tif, "", crs, 1000.0, rep, d);
  REQUIRE(g);
  const auto out = dir.file("grid.tif");
  io::write_geotiff(*g, crs, out);
  auto back = io::read_grid(out);
  CHECK(back.same_frame(*g));
  CHECK(back.data == g->data);
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    CHECK_FALSE(core::is_temp_name(e.path().filename().string()));
}

TEST_CASE("raster: a damaged or missing raster is an error", "[io][raster]") {
  ScratchDir dir("raster-bad");
  const auto f = dir.write("pop.tif", "II*\0garbage");
  core::Diagnostics d;
  core::LayerReport rep;
  CHECK_FALSE(io::read_population_raster(f, "", geo::analysis_crs_for(k_abag), 500, rep, d));
  CHECK(contains(problem_lines(d), "error: " + f + ": cannot open as a raster"));
  core::Diagnostics d2;
  CHECK_FALSE(io::raster_extent_lonlat(dir.file("none.tif"), "", d2));
  CHECK(contains(problem_lines(d2), "file not found"));
}

TEST_CASE("reader: KMZ (zipped KML) written by GDAL's LIBKML driver reads back", "[io][write]") {
  ScratchDir dir("kmz");
  const auto file = dir.file("sites.kmz");
  {
    GDALAllRegister();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("LIBKML");
    if (!drv) {
      KEPUMAP_SKIP_INSTALLED("GDAL has no LIBKML driver: skipped");
    }
    GDALDataset* ds = drv->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    REQUIRE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* l = ds->CreateLayer("sites", &srs, wkbPoint, nullptr);
    OGRFieldDefn fd("name", OFTString);
    REQUIRE(l->CreateField(&fd) == OGRERR_NONE);
    OGRFeature* f = OGRFeature::CreateFeature(l->GetLayerDefn());
    f->SetField("name", "阿巴嘎旗科技馆");
    OGRPoint p(114.9436, 44.0212);
    f->SetGeometry(&p);
    REQUIRE(l->CreateFeature(f) == OGRERR_NONE);
    OGRFeature::DestroyFeature(f);
    GDALClose(ds);
  }
  core::Diagnostics d;
  auto layer = io::read_vector_lonlat(file, {}, d);
  INFO(problem_lines(d));
  REQUIRE(layer);
  CHECK(layer->report.driver == "LIBKML");
  REQUIRE(layer->geom.feature_count() == 1);
  CHECK(layer->geom.coords[0].x == Approx(114.9436));
  // LIBKML keeps a "name" field as the placemark's <name>, read back as field "Name".
  const int name = layer->attrs.find("Name");
  REQUIRE(name >= 0);
  CHECK(layer->attrs.columns[static_cast<std::size_t>(name)].text(0) == "阿巴嘎旗科技馆");
}
