// Loading a whole project (or one data file) into a Document in the analysis CRS.
#include <algorithm>
#include <filesystem>

#include <ogr_spatialref.h>

#include "geo/crs.hpp"
#include "io/errors.hpp"
#include "io/people.hpp"
#include "io/project.hpp"
#include "io/raster_io.hpp"
#include "io/source_guard.hpp"
#include "io/vector_reader.hpp"

namespace kepumap::io {

namespace {

namespace fs = std::filesystem;

std::string source_string(const fs::path& p) {
  const auto u8 = p.u8string();
  return std::string(u8.begin(), u8.end());
}

/// A layer waiting for the analysis CRS: vector layers already read in lon/lat, rasters not yet read.
struct Pending {
  core::Layer layer;
  std::string source;
  std::string crs_override;
  bool ok = false;
};

/// Chooses the analysis CRS, then projects vector layers and reads rasters into it.
void finish(core::Document& doc, std::vector<Pending>& pending, const std::string& crs_setting) {
  core::BBox lonlat;
  for (const auto& p : pending)
    if (p.ok) lonlat.add(p.layer.report.extent_lonlat);
  // A layer far from all the others usually has a wrong CRS: say so before it stretches the
  // analysis CRS over half the globe.
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (!pending[i].ok) continue;
    core::BBox others;
    for (std::size_t j = 0; j < pending.size(); ++j)
      if (j != i && pending[j].ok) others.add(pending[j].layer.report.extent_lonlat);
    if (others.empty()) continue;
    core::BBox grown = others;
    grown.add(core::Vec2{others.min_x - 1.0, others.min_y - 1.0});
    grown.add(core::Vec2{others.max_x + 1.0, others.max_y + 1.0});
    if (!grown.intersects(pending[i].layer.report.extent_lonlat)) {
      core::Problem p;
      p.file = pending[i].source;
      p.layer = pending[i].layer.name;
      p.field = "crs";
      p.what =
          "the layer lies more than 1 degree away from all the other layers (图层与其他图层相距甚远); is its "
          "CRS right?";
      doc.diagnostics.warn(std::move(p));
    }
  }
  if (crs_setting.empty() || crs_setting == "auto") {
    if (lonlat.empty()) return;  // nothing was read; the errors say why
    doc.analysis_crs = geo::analysis_crs_for(lonlat);
  } else {
    doc.analysis_crs = crs_setting;
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(crs_setting.c_str()) == OGRERR_NONE && srs.IsGeographic()) {
      core::Problem p;
      p.file = doc.config.file.string();
      p.field = "crs";
      p.what =
          "the analysis CRS must be projected, in metres (分析坐标系必须是以米为单位的投影坐标系); "
          "use crs = \"auto\" for an equal-area CRS fitted to the data";
      doc.diagnostics.error(std::move(p));
      return;
    }
  }
  try {
    geo::Transform check("EPSG:4326", doc.analysis_crs);
  } catch (const geo::CrsError& e) {
    core::Problem p;
    p.file = doc.config.file.empty() ? std::string{} : doc.config.file.string();
    p.field = "crs";
    p.what = std::string("analysis CRS not understood (无法识别分析坐标系): ") + e.what();
    doc.diagnostics.error(std::move(p));
    return;
  }
  doc.analysis_crs_name = geo::crs_short_name(doc.analysis_crs);
  for (auto& p : pending) {
    if (!p.ok) continue;
    if (p.layer.is_raster) {
      auto grid = read_population_raster(p.source, p.crs_override, doc.analysis_crs,
                                         doc.config.travel.cell_size_m, p.layer.report, doc.diagnostics);
      if (!grid) continue;
      p.layer.raster = std::move(*grid);
    } else if (!project_to_analysis(p.layer, doc.analysis_crs, doc.diagnostics)) {
      continue;
    }
    doc.layers.push_back(std::move(p.layer));
  }
}

// [travel] landcover: the class raster onto the travel grid's cells in the analysis CRS.
void load_landcover(core::Document& doc) {
  const auto& t = doc.config.travel;
  if (t.landcover.empty()) {
    if (!t.landcover_speeds.empty())
      doc.diagnostics.warn(
          {core::Severity::Warning, doc.config.file.string(), "", -1, "travel.landcover_speeds", t.line,
           "landcover_speeds is given but no landcover raster (没有土地覆被栅格); the speeds are unused"});
    return;
  }
  if (doc.analysis_crs.empty() || doc.diagnostics.has_errors()) return;
  const std::string source = source_string(doc.config.resolve(t.landcover));
  if (std::string why = source_refusal(is_network_source(t.landcover) ? t.landcover : source,
                                       SourcePolicy{doc.config.limits.allow_network_sources, false});
      !why.empty()) {
    doc.diagnostics.error({core::Severity::Error, doc.config.file.string(), "", -1, "travel.landcover",
                           t.line, "land cover (土地覆被): " + why});
    return;
  }
  core::Diagnostics local;
  auto grid = read_class_raster(source, t.landcover_crs, doc.analysis_crs, t.cell_size_m,
                                doc.landcover_report, local);
  for (auto p : local.problems) {
    // Name the key that points at the raster as well as the raster itself.
    p.field = "travel.landcover";
    p.what = "land cover (土地覆被): " + p.what;
    if (p.severity == core::Severity::Error)
      doc.diagnostics.error(std::move(p));
    else
      doc.diagnostics.warn(std::move(p));
  }
  if (grid) doc.landcover = std::move(*grid);
}

}  // namespace

core::Document load_project(const fs::path& project_toml) {
  core::Document doc;
  doc.config = read_project(project_toml, doc.diagnostics);
  if (doc.diagnostics.has_errors()) return doc;
  if (doc.config.layers.empty()) {
    core::Problem p;
    p.file = project_toml.string();
    p.what = "the project has no [[layer]] entries (项目没有图层)";
    doc.diagnostics.error(std::move(p));
    return doc;
  }

  // Local files (VRTs) that point GDAL at /vsicurl/, /vsis3/, ... do not reach the network either.
  const NetworkFileSystemBlock no_network(doc.config.limits.allow_network_sources);
  std::vector<Pending> pending;
  for (const auto& spec : doc.config.layers) {
    Pending p;
    p.source = source_string(doc.config.resolve(spec.source));
    p.crs_override = spec.crs;
    // Refused before any reader opens it: network sources (unless allowed), devices, FIFOs,
    // system files, link loops, folders. A connection string is checked as written.
    const SourcePolicy policy{doc.config.limits.allow_network_sources, false};
    if (std::string why = source_refusal(is_network_source(spec.source) ? spec.source : p.source, policy);
        !why.empty()) {
      core::Problem e;
      e.file = project_toml.string();
      e.line = spec.source_line > 0 ? spec.source_line : spec.line;
      e.layer = spec.name;
      e.field = "source";
      e.what = why;
      doc.diagnostics.error(std::move(e));
      continue;
    }
    if (spec.role == core::Role::Population && !spec.where.empty()) {
      core::Problem e;
      e.file = project_toml.string();
      e.line = spec.where_line;
      e.layer = spec.name;
      e.field = "where";
      e.what = "where = \"...\" filters vector features; a population raster has none (栅格图层不能筛选)";
      doc.diagnostics.error(std::move(e));
      continue;
    }
    if (spec.role == core::Role::Population) {
      p.layer.name = spec.name;
      p.layer.role = spec.role;
      p.layer.fields = spec.fields;
      p.layer.is_raster = true;
      p.layer.report.source = p.source;
      auto ext = raster_extent_lonlat(p.source, spec.crs, doc.diagnostics);
      if (ext) {
        p.layer.report.extent_lonlat = *ext;
        p.ok = true;
      }
    } else {
      VectorReadOptions o;
      o.layer = spec.layer;
      o.crs = spec.crs;
      o.encoding = spec.encoding.empty() ? doc.config.encoding : spec.encoding;
      o.label = spec.name;
      o.role = spec.role;
      o.fields = spec.fields;
      o.where = spec.where;
      o.where_line = spec.where_line;
      o.project_file = doc.config.file.string();
      auto layer = read_vector_lonlat(p.source, o, doc.diagnostics);
      if (layer) {
        p.layer = std::move(*layer);
        p.ok = true;
      }
    }
    pending.push_back(std::move(p));
  }
  finish(doc, pending, doc.config.analysis_crs);
  load_landcover(doc);
  if (!doc.analysis_crs.empty()) place_people(doc);
  return doc;
}

core::Document load_project_or_throw(const fs::path& project_toml) {
  core::Document doc = load_project(project_toml);
  throw_if_errors(doc.diagnostics);
  return doc;
}

core::Document load_data_file(const std::string& source, const std::string& layer_name) {
  core::Document doc;
  doc.config.name = fs::path(reinterpret_cast<const char8_t*>(source.c_str())).filename().string();
  // A file named on the command line or picked in the app may reach the network (the user
  // asked for it) or be a folder (a shapefile folder), but not a device, FIFO or system file.
  if (std::string why = source_refusal(source, SourcePolicy{true, true}); !why.empty()) {
    core::Problem p;
    p.what = why;
    doc.diagnostics.error(std::move(p));
    return doc;
  }
  std::vector<std::string> names;
  if (!layer_name.empty()) {
    names.push_back(layer_name);
  } else {
    const std::string ext = [&] {
      std::string e = fs::path(reinterpret_cast<const char8_t*>(source.c_str())).extension().string();
      for (auto& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return e;
    }();
    const bool raster = ext == ".tif" || ext == ".tiff" || ext == ".vrt" || ext == ".asc" || ext == ".img";
    if (raster) {
      std::vector<Pending> pending(1);
      auto& p = pending[0];
      p.source = source;
      p.layer.name = doc.config.name;
      p.layer.role = core::Role::Population;
      p.layer.is_raster = true;
      p.layer.report.source = source;
      if (auto e = raster_extent_lonlat(source, "", doc.diagnostics)) {
        p.layer.report.extent_lonlat = *e;
        p.ok = true;
      }
      finish(doc, pending, "auto");
      return doc;
    }
    // Every layer of the file, opened once.
    std::vector<Pending> pending;
    for (auto& layer : read_all_vector_layers_lonlat(source, doc.diagnostics)) {
      Pending p;
      p.source = source;
      p.layer = std::move(layer);
      p.ok = true;
      pending.push_back(std::move(p));
    }
    finish(doc, pending, "auto");
    return doc;
  }
  std::vector<Pending> pending;
  for (const auto& n : names) {
    VectorReadOptions o;
    o.layer = n;
    Pending p;
    p.source = source;
    auto layer = read_vector_lonlat(source, o, doc.diagnostics);
    if (layer) {
      p.layer = std::move(*layer);
      p.ok = true;
    }
    pending.push_back(std::move(p));
  }
  finish(doc, pending, "auto");
  return doc;
}

}  // namespace kepumap::io
