#include "demo_read.hpp"

#include <gdal.h>
#include <ogr_api.h>

#include <catch2/catch.hpp>

namespace kepumap::test {
namespace {

void add_parts(core::Geometries& g, OGRGeometryH geom) {
  const auto t = wkbFlatten(OGR_G_GetGeometryType(geom));
  auto ring_of = [](OGRGeometryH r) {
    std::vector<core::Vec2> pts;
    for (int i = 0; i < OGR_G_GetPointCount(r); ++i) pts.push_back({OGR_G_GetX(r, i), OGR_G_GetY(r, i)});
    return pts;
  };
  if (t == wkbPolygon) {
    g.kind = core::GeomKind::Polygon;
    for (int r = 0; r < OGR_G_GetGeometryCount(geom); ++r) g.add_ring(ring_of(OGR_G_GetGeometryRef(geom, r)));
    g.end_part();
  } else if (t == wkbLineString) {
    g.kind = core::GeomKind::Line;
    g.add_ring(ring_of(geom));
    g.end_part();
  } else if (t == wkbPoint) {
    g.kind = core::GeomKind::Point;
    g.add_ring(ring_of(geom));
    g.end_part();
  } else {
    for (int i = 0; i < OGR_G_GetGeometryCount(geom); ++i) add_parts(g, OGR_G_GetGeometryRef(geom, i));
  }
}

}  // namespace

DemoLayer read_layer(const std::filesystem::path& file, const std::string& name) {
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  REQUIRE(ds != nullptr);
  OGRLayerH lyr = GDALDatasetGetLayerByName(ds, name.c_str());
  INFO(file.string() << " layer " << name);
  REQUIRE(lyr != nullptr);
  DemoLayer out;
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
  OGR_L_ResetReading(lyr);
  while (OGRFeatureH f = OGR_L_GetNextFeature(lyr)) {
    std::map<std::string, std::string> a;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
      a[OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))] = OGR_F_GetFieldAsString(f, i);
    if (OGRGeometryH g = OGR_F_GetGeometryRef(f)) add_parts(out.geom, g);
    out.geom.end_feature();
    out.attrs.push_back(std::move(a));
    OGR_F_Destroy(f);
  }
  GDALClose(ds);
  return out;
}

std::vector<std::string> layer_names(const std::filesystem::path& file) {
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  REQUIRE(ds != nullptr);
  std::vector<std::string> names;
  for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i)
    names.push_back(OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
  GDALClose(ds);
  return names;
}

core::Grid<std::int32_t> read_raster(const std::filesystem::path& file, std::string& wkt) {
  GDALAllRegister();
  GDALDatasetH ds = GDALOpen(file.c_str(), GA_ReadOnly);
  REQUIRE(ds != nullptr);
  double gt[6];
  REQUIRE(GDALGetGeoTransform(ds, gt) == CE_None);
  core::Grid<std::int32_t> g(GDALGetRasterXSize(ds), GDALGetRasterYSize(ds), gt[0], gt[3], gt[1], -1);
  GDALRasterBandH b = GDALGetRasterBand(ds, 1);
  REQUIRE(GDALRasterIO(b, GF_Read, 0, 0, g.width, g.height, g.data.data(), g.width, g.height, GDT_Int32, 0,
                       0) == CE_None);
  wkt = GDALGetProjectionRef(ds);
  GDALClose(ds);
  return g;
}

core::Geometries feature(const core::Geometries& g, core::FeatureId f) {
  core::Geometries out;
  out.kind = g.kind;
  for (std::uint32_t p = g.parts_begin(f); p < g.parts_end(f); ++p) {
    for (std::uint32_t r = g.rings_begin(p); r < g.rings_end(p); ++r) out.add_ring(g.ring(r));
    out.end_part();
  }
  out.end_feature();
  return out;
}

}  // namespace kepumap::test
