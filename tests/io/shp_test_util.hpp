#pragma once
// Test helper: small shapefiles written through GDAL (Catch2 REQUIREs inside).
#include <cstdio>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <catch2/catch.hpp>

namespace kepumap::test {

/// Writes a shapefile of `n` small square polygons with a text field "name" (UTF-8 given,
/// stored in `encoding` when not empty) and an integer field "id". No .prj when `srs_epsg` is 0.
inline void write_squares_shp(const std::string& path, int n, const std::vector<std::string>& names,
                              const char* encoding, int srs_epsg, double x0 = 114.0, double y0 = 44.0,
                              double size = 0.01) {
  GDALAllRegister();
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
  GDALDataset* ds = drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  REQUIRE(ds);
  OGRSpatialReference srs;
  if (srs_epsg) srs.importFromEPSG(srs_epsg);
  char enc_opt[64];
  std::snprintf(enc_opt, sizeof enc_opt, "ENCODING=%s", encoding ? encoding : "");
  char* lco[] = {enc_opt, nullptr};
  OGRLayer* layer =
      ds->CreateLayer("squares", srs_epsg ? &srs : nullptr, wkbPolygon, encoding ? lco : nullptr);
  REQUIRE(layer);
  OGRFieldDefn name("name", OFTString);
  name.SetWidth(40);
  layer->CreateField(&name);
  OGRFieldDefn id("id", OFTInteger);
  layer->CreateField(&id);
  for (int i = 0; i < n; ++i) {
    OGRFeature* f = OGRFeature::CreateFeature(layer->GetLayerDefn());
    f->SetField("name", names[static_cast<std::size_t>(i) % names.size()].c_str());
    f->SetField("id", i);
    OGRPolygon poly;
    OGRLinearRing ring;
    const double x = x0 + i * size * 2;
    ring.addPoint(x, y0);
    ring.addPoint(x + size, y0);
    ring.addPoint(x + size, y0 + size);
    ring.addPoint(x, y0 + size);
    ring.addPoint(x, y0);
    poly.addRing(&ring);
    f->SetGeometry(&poly);
    REQUIRE(layer->CreateFeature(f) == OGRERR_NONE);
    OGRFeature::DestroyFeature(f);
  }
  GDALClose(ds);
}

}  // namespace kepumap::test
