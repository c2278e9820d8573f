#include "io/vector_writer.hpp"

#include <optional>
#include <system_error>

#include "core/atomic_file.hpp"
#include "geo/crs.hpp"
#include "io/errors.hpp"
#include "io/gdal_handle.hpp"

namespace kepumap::io {

namespace {

namespace fs = std::filesystem;
using core::GeomKind;

core::Problem problem(const std::string& file, const std::string& layer, long long feature,
                      std::string what) {
  core::Problem p;
  p.file = file;
  p.layer = layer;
  p.feature = feature;
  p.what = std::move(what);
  return p;
}

struct Format {
  const char* driver;
  bool multi_layer;
  bool always_wgs84;
};

Format format_for(const std::string& ext) {
  if (ext == ".gpkg") return {"GPKG", true, false};
  if (ext == ".geojson" || ext == ".json") return {"GeoJSON", false, true};
  if (ext == ".csv") return {"CSV", false, true};
  if (ext == ".kml") return {"KML", false, true};
  if (ext == ".gpx") return {"GPX", false, true};
  if (ext == ".fgb") return {"FlatGeobuf", false, false};
  return {nullptr, false, false};
}

/// Builds the OGR geometry of feature f (coordinates already in the output CRS).
detail::GeometryPtr make_geometry(const core::Geometries& g, std::span<const core::Vec2> coords,
                                  core::FeatureId f, bool multi) {
  const auto pb = g.parts_begin(f), pe = g.parts_end(f);
  if (pb == pe) return nullptr;
  auto ring_points = [&](std::uint32_t r, OGRSimpleCurve& curve) {
    const auto c0 = g.ring_coords[r], c1 = g.ring_coords[r + 1];
    curve.setNumPoints(static_cast<int>(c1 - c0), FALSE);
    for (auto c = c0; c < c1; ++c) curve.setPoint(static_cast<int>(c - c0), coords[c].x, coords[c].y);
  };
  auto make_part = [&](std::uint32_t p) -> OGRGeometry* {
    switch (g.kind) {
      case GeomKind::Point: {
        const auto& v = coords[g.ring_coords[g.rings_begin(p)]];
        return new OGRPoint(v.x, v.y);
      }
      case GeomKind::Line: {
        auto* ls = new OGRLineString();
        ring_points(g.rings_begin(p), *ls);
        return ls;
      }
      case GeomKind::Polygon: {
        auto* poly = new OGRPolygon();
        for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
          auto* ring = new OGRLinearRing();
          ring_points(r, *ring);
          poly->addRingDirectly(ring);
        }
        return poly;
      }
      case GeomKind::None:
        break;
    }
    return nullptr;
  };
  if (!multi) return detail::GeometryPtr(make_part(pb));
  OGRGeometryCollection* coll = nullptr;
  switch (g.kind) {
    case GeomKind::Point:
      coll = new OGRMultiPoint();
      break;
    case GeomKind::Line:
      coll = new OGRMultiLineString();
      break;
    case GeomKind::Polygon:
      coll = new OGRMultiPolygon();
      break;
    case GeomKind::None:
      return nullptr;
  }
  for (auto p = pb; p < pe; ++p) coll->addGeometryDirectly(make_part(p));
  return detail::GeometryPtr(coll);
}

OGRwkbGeometryType layer_type(GeomKind k, bool multi) {
  switch (k) {
    case GeomKind::Point:
      return multi ? wkbMultiPoint : wkbPoint;
    case GeomKind::Line:
      return multi ? wkbMultiLineString : wkbLineString;
    case GeomKind::Polygon:
      return multi ? wkbMultiPolygon : wkbPolygon;
    case GeomKind::None:
      break;
  }
  return wkbNone;
}

void write_one_layer(GDALDataset& ds, const LayerToWrite& lw, const Format& fmt, const std::string& out_crs,
                     const WriteOptions& opts, const std::string& file, detail::ErrorCapture& errors) {
  const core::Geometries& g = *lw.geom;
  const std::size_t n = g.feature_count();
  if (lw.attrs && !lw.attrs->columns.empty() && lw.attrs->row_count() != n)
    throw DataError(problem(file, lw.name, -1,
                            "attribute table has " + std::to_string(lw.attrs->row_count()) + " rows for " +
                                std::to_string(n) + " features"));
  bool multi = false;
  for (core::FeatureId f = 0; f < n && !multi; ++f) multi = g.parts_end(f) - g.parts_begin(f) > 1;
  std::string fmt_name = fmt.driver;
  if (fmt_name == "GPX") {
    if (g.kind == GeomKind::Polygon)
      throw DataError(problem(file, lw.name, -1, "GPX holds points and lines, not polygons"));
    multi = g.kind == GeomKind::Line;  // GPX tracks are multi-linestrings
  }

  std::vector<core::Vec2> coords(g.coords);
  if (out_crs != opts.analysis_crs) {
    geo::Transform tr(opts.analysis_crs, out_crs);
    if (!tr.apply(coords))
      throw DataError(problem(file, lw.name, -1, "some coordinates cannot be converted to " + out_crs));
  }

  OGRSpatialReference srs;
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  if (srs.SetFromUserInput(out_crs.c_str()) != OGRERR_NONE)
    throw DataError(problem(file, lw.name, -1, "output CRS not understood: " + out_crs));

  detail::StringList lco;
  std::string lname = lw.name;
  if (fmt_name == "CSV") lco.add(g.kind == GeomKind::Point ? "GEOMETRY=AS_XY" : "GEOMETRY=AS_WKT");
  if (fmt_name == "GPX") lname = g.kind == GeomKind::Point ? "waypoints" : "tracks";
  if (fmt_name == "GeoJSON") lco.add("RFC7946=NO");
  if (fmt_name == "GPKG") lco.add("OVERWRITE=YES");
  if (fmt_name == "FlatGeobuf") lco.add("SPATIAL_INDEX=NO");  // the index would reorder features
  OGRLayer* layer = ds.CreateLayer(lname.c_str(), &srs, layer_type(g.kind, multi), lco.get());
  if (!layer)
    throw DataError(problem(file, lw.name, -1, "cannot create the layer: " + errors.last_failure()));

  if (lw.attrs) {
    for (const auto& c : lw.attrs->columns) {
      OGRFieldType t = OFTString;
      if (c.type == core::FieldType::Integer) t = OFTInteger64;
      if (c.type == core::FieldType::Real) t = OFTReal;
      OGRFieldDefn fd(c.name.c_str(), t);
      if (layer->CreateField(&fd) != OGRERR_NONE)
        throw DataError(
            problem(file, lw.name, -1, "cannot create field " + c.name + ": " + errors.last_failure()));
    }
  }
  const bool transaction = ds.StartTransaction() == OGRERR_NONE;
  for (core::FeatureId f = 0; f < n; ++f) {
    detail::FeaturePtr feat(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    if (lw.attrs) {
      for (std::size_t c = 0; c < lw.attrs->columns.size(); ++c) {
        const auto& col = lw.attrs->columns[c];
        const int i = static_cast<int>(c);
        if (col.is_null(f)) {
          feat->SetFieldNull(i);
          continue;
        }
        switch (col.type) {
          case core::FieldType::Integer:
            feat->SetField(i, static_cast<GIntBig>(col.ints[f]));
            break;
          case core::FieldType::Real:
            feat->SetField(i, col.reals[f]);
            break;
          case core::FieldType::Text:
            feat->SetField(i, col.texts[f].c_str());
            break;
        }
      }
    }
    if (auto geom = make_geometry(g, coords, f, multi)) feat->SetGeometryDirectly(geom.release());
    if (layer->CreateFeature(feat.get()) != OGRERR_NONE)
      throw DataError(problem(file, lw.name, f, "cannot write the feature: " + errors.last_failure()));
  }
  if (transaction && ds.CommitTransaction() != OGRERR_NONE)
    throw DataError(problem(file, lw.name, -1, "cannot commit the layer: " + errors.last_failure()));
}

}  // namespace

void write_layers(const fs::path& path, const std::vector<LayerToWrite>& layers,
                  const WriteOptions& options) {
  detail::ensure_gdal();
  const std::string file = path.string();
  std::string ext = path.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const Format fmt = format_for(ext);
  if (!fmt.driver)
    throw DataError(problem(
        file, "", -1, "unknown output format '" + ext + "'; use .gpkg, .geojson, .csv, .kml, .gpx or .fgb"));
  if (layers.empty()) throw DataError(problem(file, "", -1, "nothing to write"));
  if (!fmt.multi_layer && layers.size() != 1)
    throw DataError(
        problem(file, "", -1, std::string(fmt.driver) + " holds one layer; write a .gpkg for several"));
  if (options.analysis_crs.empty())
    throw DataError(problem(file, "", -1, "the analysis CRS of the layers is not given"));
  for (const auto& l : layers)
    if (!l.geom) throw DataError(problem(file, l.name, -1, "layer has no geometry"));
  const std::string out_crs =
      fmt.always_wgs84 || options.output_crs.empty() ? std::string("EPSG:4326") : options.output_crs;

  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::optional<core::TempFile> temp;
  if (!options.in_place) temp.emplace(path);
  const fs::path tmp = temp ? temp->path() : path;
  detail::ErrorCapture errors;
  // One line for a failed write: the file system's reason when it tells (full, read-only).
  auto failed = [&](const std::string& layer, const std::string& what) {
    const std::string why = core::write_failure(path);
    return DataError(problem(file, layer, -1, why.empty() ? what : "cannot write (无法写入): " + why));
  };
  const bool update = fmt.multi_layer && fs::exists(path);
  if (update && temp) {
    fs::copy_file(path, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      const std::string why = core::write_failure(path, ec.value());
      throw DataError(problem(
          file, "", -1, "cannot copy the existing file to update it: " + (why.empty() ? ec.message() : why)));
    }
  }
  detail::DatasetPtr ds;
  if (update) {
    ds.reset(static_cast<GDALDataset*>(
        GDALOpenEx(tmp.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr)));
  } else {
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(fmt.driver);
    if (!drv) throw DataError(problem(file, "", -1, std::string("GDAL has no ") + fmt.driver + " driver"));
    detail::StringList dco;
    if (std::string(fmt.driver) == "GPX") dco.add("GPX_USE_EXTENSIONS=YES");
    ds.reset(drv->Create(tmp.string().c_str(), 0, 0, 0, GDT_Unknown, dco.get()));
  }
  if (!ds) throw failed("", "cannot create the file (无法写入): " + errors.last_failure());
  try {
    for (const auto& l : layers) {
      if (update)
        for (int i = 0; i < ds->GetLayerCount(); ++i)
          if (l.name == ds->GetLayer(i)->GetName()) {
            ds->DeleteLayer(i);
            break;
          }
      write_one_layer(*ds, l, fmt, out_crs, options, file, errors);
    }
  } catch (const DataError& e) {
    ds.reset();
    const std::string why = core::write_failure(path);
    if (why.empty()) throw;
    throw DataError(problem(file, e.problem.layer, e.problem.feature, "cannot write (无法写入): " + why));
  }
  ds.reset();  // close: flushes everything to the temporary file
  if (errors.failures() > 0) throw failed("", "writing failed (写入失败): " + errors.last_failure());
  if (temp)
    if (const std::string why = temp->commit(); !why.empty())
      throw DataError(problem(file, "", -1, "cannot write (无法写入): " + why));
}

}  // namespace kepumap::io
