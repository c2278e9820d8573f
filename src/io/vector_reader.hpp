#pragma once
// Reading vector layers through GDAL/OGR (GeoPackage, Shapefile, GeoJSON, TopoJSON, KML/KMZ,
// GPX, FlatGeobuf, OSM PBF, PostGIS "PG:" strings, ...) and CSV point tables into core::Layer.
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/document.hpp"
#include "core/project.hpp"

namespace kepumap::io {

/// How to read one layer (from a [[layer]] entry of project.toml, or the command line).
struct VectorReadOptions {
  std::string layer;  ///< layer inside the source; empty = the only one (error if several)
  std::string crs;    ///< CRS override: EPSG code, WKT, PROJ string, "GCJ-02", "BD-09"; empty = the source's
  std::string encoding;  ///< attribute encoding override ("GB18030", "UTF-8"); empty = detect
  std::string label;     ///< layer name used in messages and as Layer::name; empty = the source layer name
  core::Role role = core::Role::Other;
  core::FieldMap fields;     ///< mapped attributes (each must exist; lon/lat name CSV coordinate columns)
  std::string where;         ///< OGR SQL attribute filter (project `where`); empty = every feature
  std::string project_file;  ///< project.toml naming the layer (for messages about `where`)
  int where_line = 0;        ///< line of `where` in the project file
};

/// Names of the vector layers of a source, in source order. Throws DataError if it cannot be opened.
std::vector<std::string> list_vector_layers(const std::string& source);

/// Reads one vector layer with its geometry in WGS84 longitude/latitude degrees (x = lon,
/// y = lat), not yet repaired; LayerReport filled (driver, geometry type, source CRS, encoding,
/// lon/lat extent, dropped count). Empty, NULL and non-finite geometries are dropped with a
/// warning naming the feature; Z/M are dropped (2-D) with a warning. Errors (unreadable source,
/// several layers and none chosen, mixed geometry kinds, no CRS, coordinates out of range, no
/// features) go to `diag` and give nullopt.
std::optional<core::Layer> read_vector_lonlat(const std::string& source, const VectorReadOptions& opts,
                                              core::Diagnostics& diag);

/// Every layer of a source (opened once), each as read_vector_lonlat would read it; layers that
/// fail are left out with their errors in `diag`. A CSV file gives its one point layer.
std::vector<core::Layer> read_all_vector_layers_lonlat(const std::string& source, core::Diagnostics& diag);

/// Reprojects a layer from WGS84 longitude/latitude (as read_vector_lonlat returns it) into
/// `analysis_crs` (metres) and repairs every polygon with GEOS MakeValid: features MakeValid
/// changed are listed in report.repaired by source feature index; features left empty are
/// dropped with a warning. Returns false (errors in `diag`) if the transform fails.
bool project_to_analysis(core::Layer& layer, const std::string& analysis_crs, core::Diagnostics& diag);

/// read_vector_lonlat then project_to_analysis. Throws DataError (every problem attached) on error;
/// warnings are appended to `warnings` if given.
core::Layer read_vector_layer(const std::string& source, const VectorReadOptions& opts,
                              const std::string& analysis_crs, core::Diagnostics* warnings = nullptr);

}  // namespace kepumap::io
