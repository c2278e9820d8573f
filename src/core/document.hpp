#pragma once
// The loaded project: every layer in the analysis CRS, with what was read and repaired.
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/geometry.hpp"
#include "core/grid.hpp"
#include "core/project.hpp"
#include "core/study_area.hpp"
#include "core/table.hpp"

namespace kepumap::core {

/// What loading a layer found: shown by `kepumap info` and the app's layer panel.
struct LayerReport {
  std::string source;         ///< file or connection string read
  std::string source_layer;   ///< layer name inside the source
  std::string driver;         ///< GDAL driver short name
  std::string geometry_type;  ///< as found in the source ("MultiPolygon", "Point", ...)
  std::string source_crs;     ///< the source CRS as a short name (EPSG:4490, GCJ-02, ...)
  std::string encoding;       ///< attribute encoding used, and how it was chosen
  BBox extent_lonlat;         ///< extent in WGS84 degrees (x = lon, y = lat)
  std::size_t features_read = 0;
  std::size_t features_dropped = 0;  ///< empty/NULL/NaN geometries
  std::vector<long long> repaired;   ///< source feature indices whose geometry MakeValid changed
  /// Features wholly beyond the study area plus its margin, dropped when the layer was clipped
  /// (reference layers only), and features cut at the margin's edge.
  std::size_t clipped_away = 0;
  std::size_t clipped_cut = 0;
  /// Features (by their point or seat) outside the study area: kept in the layer, skipped by
  /// the verbs that would list them (study_area.hpp).
  std::size_t outside = 0;
};

/// A layer in the analysis CRS. Vector layers fill `geom` and `attrs` (one row per feature);
/// raster layers (population) fill `raster` (values per cell, e.g. people).
struct Layer {
  std::string name;
  Role role = Role::Other;
  FieldMap fields;
  Geometries geom;
  Table attrs;
  std::vector<long long> source_index;  ///< source feature index of each kept feature
  bool is_raster = false;
  GridF raster;
  LayerReport report;
  /// Unit layers (banner, township, village polygons): each feature's seat (驻地), metres in the
  /// analysis CRS, always inside or on the unit; empty for other layers. `seat_from` says how
  /// each was found.
  std::vector<Vec2> seats;
  enum class SeatFrom : std::uint8_t { Mapped, Point, Inside };
  std::vector<SeatFrom> seat_from;

  /// Column index of a mapped field (e.g. fields.name), or -1 if unmapped or missing.
  int column(const std::string& mapped) const { return mapped.empty() ? -1 : attrs.find(mapped); }
};

/// A project loaded: its configuration, the analysis CRS and the layers, in project order.
struct Document {
  ProjectConfig config;
  std::string analysis_crs;       ///< PROJ definition of the analysis CRS (metres, equal-area)
  std::string analysis_crs_name;  ///< short human name, e.g. "Albers equal-area 40.1N 114.6E"
  std::vector<Layer> layers;
  /// Land-cover classes ([travel] landcover) in the analysis CRS at the travel cell size, NaN
  /// where unknown; empty when the project names none. `landcover_report` describes the source.
  GridF landcover;
  LayerReport landcover_report;
  Diagnostics diagnostics;
  /// The study area the analysis extent and the "auto" CRS come from (study_area.hpp).
  StudyArea study;

  /// First layer with this role, or nullptr.
  const Layer* find(Role r) const {
    for (const auto& l : layers)
      if (l.role == r) return &l;
    return nullptr;
  }
  Layer* find(Role r) {
    for (auto& l : layers)
      if (l.role == r) return &l;
    return nullptr;
  }
  /// Extent of every layer, metres in the analysis CRS.
  BBox extent() const {
    BBox b;
    for (const auto& l : layers) b.add(l.is_raster ? l.raster.extent() : l.geom.bbox());
    return b;
  }
  /// Extent of the places, facilities, units and population (every layer whose role is not a
  /// reference role), metres in the analysis CRS; empty if there is none.
  BBox places_extent() const {
    BBox b;
    for (const auto& l : layers)
      if (!is_reference_role(l.role)) b.add(l.is_raster ? l.raster.extent() : l.geom.bbox());
    return b;
  }
  /// Where the analysis happens, metres in the analysis CRS: the study area's frame; without a
  /// study area, the places' extent grown by `[project] margin_km` — never a reference layer's
  /// extent (a river or a world border would stretch the grid) unless there is nothing else.
  BBox analysis_extent() const {
    if (study.defined() && !study.frame.empty()) return study.frame;
    BBox b = places_extent();
    if (b.empty()) return extent();
    const double m = config.margin_km * 1000.0;
    b.add(Vec2{b.min_x - m, b.min_y - m});
    b.add(Vec2{b.max_x + m, b.max_y + m});
    return b;
  }
};

}  // namespace kepumap::core
