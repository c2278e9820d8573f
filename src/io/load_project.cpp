// Loading a whole project (or one data file) into a Document in the analysis CRS.
#include <algorithm>
#include <filesystem>

#include <ogr_spatialref.h>

#include "geo/crs.hpp"
#include "geo/geos_ops.hpp"
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

/// The unit layer that is the study area: the coarsest with polygons (banner, township, village).
int study_layer(const std::vector<Pending>& pending) {
  for (core::Role r : {core::Role::Banner, core::Role::Township, core::Role::Village})
    for (std::size_t i = 0; i < pending.size(); ++i) {
      const auto& l = pending[i].layer;
      if (pending[i].ok && !l.is_raster && l.role == r && l.geom.kind == core::GeomKind::Polygon &&
          l.geom.feature_count() > 0)
        return static_cast<int>(i);
    }
  return -1;
}

core::Geometries box_polygon(const core::BBox& b, int steps) {
  // Densified so that the box keeps its shape once projected.
  std::vector<core::Vec2> ring;
  auto edge = [&](core::Vec2 a, core::Vec2 c) {
    for (int k = 0; k < steps; ++k)
      ring.push_back({a.x + (c.x - a.x) * k / steps, a.y + (c.y - a.y) * k / steps});
  };
  edge({b.min_x, b.min_y}, {b.max_x, b.min_y});
  edge({b.max_x, b.min_y}, {b.max_x, b.max_y});
  edge({b.max_x, b.max_y}, {b.min_x, b.max_y});
  edge({b.min_x, b.max_y}, {b.min_x, b.min_y});
  ring.push_back(ring.front());
  core::Geometries g;
  g.kind = core::GeomKind::Polygon;
  g.add_ring(ring);
  g.end_part();
  g.end_feature();
  return g;
}

/// Polygons as their outlines (a border given as country polygons: the outline is the line, and
/// clipping must not turn the clip box's edges into border).
core::Geometries outlines(const core::Geometries& g) {
  core::Geometries out;
  out.kind = core::GeomKind::Line;
  for (core::FeatureId f = 0; f < g.feature_count(); ++f) {
    for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p)
      for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
        out.add_ring(g.ring(r));
        out.end_part();
      }
    out.end_feature();
  }
  return out;
}

/// Keeps the features of `layer` whose `geom` (same feature count) has geometry: attribute rows
/// and source indices follow.
void keep_with_geometry(core::Layer& layer, const core::Geometries& geom) {
  core::Geometries kept;
  kept.kind = geom.kind;
  core::Table attrs;
  for (const auto& c : layer.attrs.columns) attrs.add_column(c.name, c.type);
  std::vector<long long> index;
  for (core::FeatureId f = 0; f < geom.feature_count(); ++f) {
    if (!geom.has_geometry(f)) continue;
    for (auto p = geom.parts_begin(f); p < geom.parts_end(f); ++p) {
      for (auto r = geom.rings_begin(p); r < geom.rings_end(p); ++r) kept.add_ring(geom.ring(r));
      kept.end_part();
    }
    kept.end_feature();
    if (f < layer.source_index.size()) index.push_back(layer.source_index[f]);
    for (std::size_t c = 0; c < attrs.columns.size(); ++c) {
      const auto& src = layer.attrs.columns[c];
      auto& dst = attrs.columns[c];
      if (src.is_null(f))
        dst.push_null();
      else if (src.type == core::FieldType::Integer)
        dst.push_int(src.ints[f]);
      else if (src.type == core::FieldType::Real)
        dst.push_real(src.reals[f]);
      else
        dst.push_text(src.texts[f]);
    }
  }
  if (attrs.columns.empty()) attrs.set_rows_without_columns(kept.feature_count());
  layer.geom = std::move(kept);
  layer.attrs = std::move(attrs);
  layer.source_index = std::move(index);
}

/// Clips a reference layer (still in lon/lat) to the study area's box plus margin, counting
/// the features dropped and cut.
void clip_reference(core::Layer& layer, const core::BBox& clip_lonlat) {
  core::Geometries g = layer.role == core::Role::Border && layer.geom.kind == core::GeomKind::Polygon
                           ? outlines(layer.geom)
                           : layer.geom;
  bool all_inside = true;
  for (core::FeatureId f = 0; f < g.feature_count() && all_inside; ++f) {
    const core::BBox b = g.feature_bbox(f);
    all_inside =
        b.empty() || (clip_lonlat.contains({b.min_x, b.min_y}) && clip_lonlat.contains({b.max_x, b.max_y}));
  }
  if (all_inside) {
    if (g.kind != layer.geom.kind) layer.geom = std::move(g);
    return;
  }
  const core::Geometries clipped = geo::clip(g, box_polygon(clip_lonlat, 1));
  for (core::FeatureId f = 0; f < g.feature_count(); ++f) {
    if (!g.has_geometry(f)) continue;
    const core::BBox b = g.feature_bbox(f);
    if (!clipped.has_geometry(f))
      ++layer.report.clipped_away;
    else if (!(clip_lonlat.contains({b.min_x, b.min_y}) && clip_lonlat.contains({b.max_x, b.max_y})))
      ++layer.report.clipped_cut;
  }
  keep_with_geometry(layer, clipped);
}

/// The study area from `[project] extent` or the coarsest unit layer, in lon/lat (the analysis
/// CRS is not chosen yet).
void choose_study_area(core::Document& doc, const std::vector<Pending>& pending) {
  auto& s = doc.study;
  s.margin_km = doc.config.margin_km;
  if (doc.config.extent.size() == 4) {
    s.from = core::StudyArea::From::Extent;
    s.lonlat.add(core::Vec2{doc.config.extent[0], doc.config.extent[1]});
    s.lonlat.add(core::Vec2{doc.config.extent[2], doc.config.extent[3]});
  } else if (const int i = study_layer(pending); i >= 0) {
    s.from = core::StudyArea::From::Units;
    s.layer = pending[static_cast<std::size_t>(i)].layer.name;
    s.lonlat = pending[static_cast<std::size_t>(i)].layer.geom.bbox();
  }
  if (s.defined()) s.clip_lonlat = core::grow_lonlat(s.lonlat, s.margin_km);
}

/// The study area's polygons and frame in the analysis CRS (after the layers are projected).
void project_study_area(core::Document& doc) {
  auto& s = doc.study;
  if (!s.defined()) return;
  if (s.from == core::StudyArea::From::Units) {
    for (const auto& l : doc.layers)
      if (l.name == s.layer) s.area = l.geom;
  } else {
    s.area = box_polygon(s.lonlat, 64);
    try {
      geo::Transform tr("EPSG:4326", doc.analysis_crs);
      if (!tr.apply(s.area.coords)) s.area = {};
    } catch (const geo::CrsError&) {
      s.area = {};
    }
  }
  s.bbox = s.area.bbox();
  s.frame = s.bbox;
  if (!s.bbox.empty()) {
    const double m = s.margin_km * 1000.0;
    s.frame.add(core::Vec2{s.bbox.min_x - m, s.bbox.min_y - m});
    s.frame.add(core::Vec2{s.bbox.max_x + m, s.bbox.max_y + m});
  }
}

/// Chooses the analysis CRS, then projects vector layers and reads rasters into it.
void finish(core::Document& doc, std::vector<Pending>& pending, const std::string& crs_setting) {
  core::BBox lonlat;
  for (const auto& p : pending)
    if (p.ok) lonlat.add(p.layer.report.extent_lonlat);
  choose_study_area(doc, pending);
  // The study area, never the reference layers, decides the extent and the "auto" CRS. Without
  // one, the places, facilities and population do (reference layers only if there is nothing else).
  if (doc.study.defined()) {
    lonlat = doc.study.lonlat;
  } else {
    core::BBox places;
    for (const auto& p : pending)
      if (p.ok && !core::is_reference_role(p.layer.role)) places.add(p.layer.report.extent_lonlat);
    if (!places.empty()) lonlat = places;
  }
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
    if (doc.study.defined() && !p.layer.is_raster && core::is_reference_role(p.layer.role))
      clip_reference(p.layer, doc.study.clip_lonlat);
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
  project_study_area(doc);
}

/// Counts the features of point-like layers (facilities, towns, villages, stops) that lie
/// outside the study area, by their seat (units) or point.
void count_outside(core::Document& doc) {
  if (!doc.study.defined()) return;
  for (auto& l : doc.layers) {
    if (l.is_raster || !core::counted_outside_role(l.role)) continue;
    l.report.outside = 0;
    for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
      if (!l.geom.has_geometry(f)) continue;
      const core::Vec2 p = f < l.seats.size() ? l.seats[f] : core::representative_point(l.geom, f);
      if (!doc.study.contains(p)) ++l.report.outside;
    }
  }
}

// [travel] landcover: the class raster onto the travel grid's cells in the analysis CRS.
void load_landcover(core::Document& doc) {
  const auto& t = doc.config.travel;
  if (t.landcover.empty()) {
    if (!t.landcover_speeds.empty())
      doc.diagnostics.warn(
          {core::Severity::Warning,
           doc.config.file.string(),
           "",
           -1,
           "travel.landcover_speeds",
           t.line,
           "landcover_speeds is given but no landcover raster (没有土地覆被栅格); the speeds are unused",
           {}});
    return;
  }
  if (doc.analysis_crs.empty() || doc.diagnostics.has_errors()) return;
  const std::string source = source_string(doc.config.resolve(t.landcover));
  if (std::string why = source_refusal(is_network_source(t.landcover) ? t.landcover : source,
                                       SourcePolicy{doc.config.limits.allow_network_sources, false});
      !why.empty()) {
    doc.diagnostics.error({core::Severity::Error,
                           doc.config.file.string(),
                           "",
                           -1,
                           "travel.landcover",
                           t.line,
                           "land cover (土地覆被): " + why,
                           {}});
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
  count_outside(doc);
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
