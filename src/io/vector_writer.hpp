#pragma once
// Writing layers (flat geometry + attribute table) to GeoPackage, GeoJSON, CSV, KML, GPX or
// FlatGeobuf through GDAL. Files are written under a temporary name and renamed into place.
#include <filesystem>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/table.hpp"

namespace kepumap::io {

/// One layer to write: geometry (metres in the analysis CRS) and one attribute row per feature.
struct LayerToWrite {
  std::string name;                        ///< layer name in the file (GeoPackage table name)
  const core::Geometries* geom = nullptr;  ///< required; features without parts get a NULL geometry
  const core::Table* attrs = nullptr;      ///< optional; row_count() must equal the feature count
};

/// Where the coordinates go.
struct WriteOptions {
  std::string analysis_crs;  ///< CRS of the input geometry (PROJ definition); required
  /// CRS written to the file. Empty = WGS84 longitude/latitude (EPSG:4326). GeoJSON, KML and GPX
  /// are always written in WGS84 whatever this says.
  std::string output_crs;
  /// `path` is already a temporary of the caller's (core::TempFile, e.g. a staging copy of a
  /// GeoPackage that gets more tables before it is renamed): written directly, without a
  /// temporary of its own.
  bool in_place = false;
};

/// Writes `layers` to `path`; the format follows the extension: .gpkg (any number of layers; an
/// existing GeoPackage keeps its other layers, same-named ones are replaced), .geojson/.json,
/// .csv (points as lon/lat columns, other geometry as a WKT column), .kml, .gpx (points and lines
/// only), .fgb. Formats other than .gpkg take exactly one layer. The file is written to a
/// temporary beside `path` (core::TempFile) that is flushed and renamed into place, so a failed
/// or killed write loses nothing.
/// Throws DataError naming the file, layer and feature on failure.
void write_layers(const std::filesystem::path& path, const std::vector<LayerToWrite>& layers,
                  const WriteOptions& options);

}  // namespace kepumap::io
