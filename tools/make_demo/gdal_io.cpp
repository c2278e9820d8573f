#include "make_demo/gdal_io.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kepumap::make_demo {
namespace fs = std::filesystem;

namespace {

void add_ogr_polygon(core::Geometries& g, OGRGeometryH poly) {
  const int n = OGR_G_GetGeometryCount(poly);
  for (int r = 0; r < n; ++r) {
    OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
    const int np = OGR_G_GetPointCount(ring);
    std::vector<core::Vec2> pts(static_cast<std::size_t>(np));
    for (int i = 0; i < np; ++i)
      pts[static_cast<std::size_t>(i)] = {OGR_G_GetX(ring, i), OGR_G_GetY(ring, i)};
    if (!pts.empty() && !(pts.front() == pts.back())) pts.push_back(pts.front());
    g.add_ring(pts);
  }
  g.end_part();
}

void add_ogr_parts(core::Geometries& g, OGRGeometryH geom) {
  const auto type = wkbFlatten(OGR_G_GetGeometryType(geom));
  if (type == wkbPolygon) {
    if (g.kind == core::GeomKind::None) g.kind = core::GeomKind::Polygon;
    add_ogr_polygon(g, geom);
  } else if (type == wkbLineString) {
    if (g.kind == core::GeomKind::None) g.kind = core::GeomKind::Line;
    const int np = OGR_G_GetPointCount(geom);
    std::vector<core::Vec2> pts(static_cast<std::size_t>(np));
    for (int i = 0; i < np; ++i)
      pts[static_cast<std::size_t>(i)] = {OGR_G_GetX(geom, i), OGR_G_GetY(geom, i)};
    g.add_ring(pts);
    g.end_part();
  } else if (type == wkbPoint) {
    if (g.kind == core::GeomKind::None) g.kind = core::GeomKind::Point;
    const core::Vec2 p{OGR_G_GetX(geom, 0), OGR_G_GetY(geom, 0)};
    g.add_ring(std::span<const core::Vec2>(&p, 1));
    g.end_part();
  } else if (type == wkbMultiPolygon || type == wkbMultiLineString || type == wkbMultiPoint ||
             type == wkbGeometryCollection) {
    for (int i = 0; i < OGR_G_GetGeometryCount(geom); ++i) add_ogr_parts(g, OGR_G_GetGeometryRef(geom, i));
  }
}

/// Builds an OGR geometry for feature f (multi-geometry for lines and polygons).
OGRGeometryH to_ogr(const core::Geometries& g, core::FeatureId f) {
  using core::GeomKind;
  if (g.kind == GeomKind::Point) {
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    const auto p = g.first_point(f);
    OGR_G_SetPoint_2D(pt, 0, p.x, p.y);
    return pt;
  }
  const bool poly = g.kind == GeomKind::Polygon;
  OGRGeometryH multi = OGR_G_CreateGeometry(poly ? wkbMultiPolygon : wkbMultiLineString);
  for (std::uint32_t p = g.parts_begin(f); p < g.parts_end(f); ++p) {
    if (poly) {
      OGRGeometryH pg = OGR_G_CreateGeometry(wkbPolygon);
      for (std::uint32_t r = g.rings_begin(p); r < g.rings_end(p); ++r) {
        OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
        for (const auto& c : g.ring(r)) OGR_G_AddPoint_2D(ring, c.x, c.y);
        OGR_G_AddGeometryDirectly(pg, ring);
      }
      OGR_G_AddGeometryDirectly(multi, pg);
    } else {
      OGRGeometryH ls = OGR_G_CreateGeometry(wkbLineString);
      for (const auto& c : g.ring(g.rings_begin(p))) OGR_G_AddPoint_2D(ls, c.x, c.y);
      OGR_G_AddGeometryDirectly(multi, ls);
    }
  }
  return multi;
}

}  // namespace

void init_gdal_reproducible() {
  GDALAllRegister();
  // GeoPackage writes the "last_change" timestamps from this option when it is set.
  CPLSetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z");
  CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");  // no .aux.xml side files
}

SourceLayer read_vector(const fs::path& file, const std::string& layer) {
  GDALDatasetH ds = GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) throw std::runtime_error(file.string() + ": cannot open as a vector file");
  OGRLayerH lyr = layer.empty() ? GDALDatasetGetLayer(ds, 0) : GDALDatasetGetLayerByName(ds, layer.c_str());
  if (!lyr) {
    GDALClose(ds);
    throw std::runtime_error(file.string() + ": no layer '" + layer + "'");
  }
  SourceLayer out;
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
  OGR_L_ResetReading(lyr);
  while (OGRFeatureH feat = OGR_L_GetNextFeature(lyr)) {
    std::map<std::string, std::string> a;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
      a[OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))] = OGR_F_GetFieldAsString(feat, i);
    if (OGRGeometryH geom = OGR_F_GetGeometryRef(feat)) add_ogr_parts(out.geom, geom);
    out.geom.end_feature();
    out.attrs.push_back(std::move(a));
    OGR_F_Destroy(feat);
  }
  GDALClose(ds);
  return out;
}

std::vector<std::map<std::string, std::string>> read_csv(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot open");
  auto split = [](std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, ',')) cells.push_back(c);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    return cells;
  };
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error(file.string() + ": empty file");
  const auto header = split(line);
  std::vector<std::map<std::string, std::string>> rows;
  int lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line == "\r") continue;
    const auto cells = split(line);
    if (cells.size() != header.size())
      throw std::runtime_error(file.string() + ":" + std::to_string(lineno) + ": expected " +
                               std::to_string(header.size()) + " columns");
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

void write_gpkg(const fs::path& file, const std::vector<OutLayer>& layers) {
  GDALDriverH drv = GDALGetDriverByName("GPKG");
  if (!drv) throw std::runtime_error("GDAL has no GPKG driver");
  const fs::path tmp = fs::path(file).concat(".tmp.gpkg");
  fs::remove(tmp);
  GDALDatasetH ds = GDALCreate(drv, tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  if (!ds) throw std::runtime_error(file.string() + ": cannot create GeoPackage");
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(srs, 4326);
  OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
  for (const auto& L : layers) {
    OGRwkbGeometryType type = wkbPoint;
    if (L.geom.kind == core::GeomKind::Polygon) type = wkbMultiPolygon;
    if (L.geom.kind == core::GeomKind::Line) type = wkbMultiLineString;
    if (L.geom.feature_count() != L.rows.size())
      throw std::runtime_error(L.name + ": geometry and attribute counts differ");
    char** opts = CSLSetNameValue(nullptr, "FID", "fid");
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, L.name.c_str(), srs, type, opts);
    CSLDestroy(opts);
    if (!lyr) throw std::runtime_error(file.string() + ": cannot create layer " + L.name);
    for (const auto& f : L.fields) {
      const OGRFieldType t = f.type == Field::Type::Integer ? OFTInteger64
                             : f.type == Field::Type::Real  ? OFTReal
                                                            : OFTString;
      OGRFieldDefnH fd = OGR_Fld_Create(f.name.c_str(), t);
      OGR_L_CreateField(lyr, fd, TRUE);
      OGR_Fld_Destroy(fd);
    }
    GDALDatasetStartTransaction(ds, FALSE);
    for (std::size_t i = 0; i < L.rows.size(); ++i) {
      OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
      for (std::size_t k = 0; k < L.fields.size(); ++k) {
        const int fi = static_cast<int>(k);
        const auto& v = L.rows[i][k];
        if (const auto* iv = std::get_if<std::int64_t>(&v))
          OGR_F_SetFieldInteger64(feat, fi, *iv);
        else if (const auto* dv = std::get_if<double>(&v))
          OGR_F_SetFieldDouble(feat, fi, *dv);
        else
          OGR_F_SetFieldString(feat, fi, std::get<std::string>(v).c_str());
      }
      if (L.geom.has_geometry(static_cast<core::FeatureId>(i)))
        OGR_F_SetGeometryDirectly(feat, to_ogr(L.geom, static_cast<core::FeatureId>(i)));
      if (OGR_L_CreateFeature(lyr, feat) != OGRERR_NONE)
        throw std::runtime_error(file.string() + ": cannot write a feature of " + L.name);
      OGR_F_Destroy(feat);
    }
    GDALDatasetCommitTransaction(ds);
  }
  OSRDestroySpatialReference(srs);
  GDALClose(ds);
  fs::rename(tmp, file);
}

void write_geotiff_int32(const fs::path& file, const core::Grid<std::int32_t>& grid,
                         const std::string& crs_def, const std::string& crs_name, std::int32_t nodata) {
  GDALDriverH drv = GDALGetDriverByName("GTiff");
  if (!drv) throw std::runtime_error("GDAL has no GTiff driver");
  const fs::path tmp = fs::path(file).concat(".tmp.tif");
  char** opts = nullptr;
  opts = CSLSetNameValue(opts, "COMPRESS", "DEFLATE");
  opts = CSLSetNameValue(opts, "PREDICTOR", "2");
  opts = CSLSetNameValue(opts, "TILED", "YES");
  GDALDatasetH ds = GDALCreate(drv, tmp.c_str(), grid.width, grid.height, 1, GDT_Int32, opts);
  CSLDestroy(opts);
  if (!ds) throw std::runtime_error(file.string() + ": cannot create GeoTIFF");
  double gt[6] = {grid.origin_x, grid.cell, 0.0, grid.origin_y, 0.0, -grid.cell};
  GDALSetGeoTransform(ds, gt);
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  if (OSRSetFromUserInput(srs, crs_def.c_str()) != OGRERR_NONE)
    throw std::runtime_error("cannot understand CRS " + crs_def);
  OSRSetProjCS(srs, crs_name.c_str());
  char* wkt = nullptr;
  OSRExportToWkt(srs, &wkt);
  GDALSetProjection(ds, wkt);
  CPLFree(wkt);
  OSRDestroySpatialReference(srs);
  GDALRasterBandH band = GDALGetRasterBand(ds, 1);
  GDALSetRasterNoDataValue(band, nodata);
  const CPLErr err =
      GDALRasterIO(band, GF_Write, 0, 0, grid.width, grid.height, const_cast<std::int32_t*>(grid.data.data()),
                   grid.width, grid.height, GDT_Int32, 0, 0);
  GDALClose(ds);
  if (err != CE_None) throw std::runtime_error(file.string() + ": raster write failed");
  fs::rename(tmp, file);
}

}  // namespace kepumap::make_demo
