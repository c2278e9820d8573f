#pragma once
// Minimal GDAL/OGR reading and writing for the demo generator (a tool, so GDAL is used directly).
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/geometry.hpp"
#include "core/grid.hpp"

namespace kepumap::make_demo {

/// Features of one source layer: geometry (source coordinates) and attributes as text.
struct SourceLayer {
  core::Geometries geom;
  std::vector<std::map<std::string, std::string>> attrs;  ///< one map per feature
};

/// Reads a vector layer (`layer` empty = the first). Polygons and multipolygons become polygon
/// features; geometry collections are flattened. Throws std::runtime_error naming the file.
SourceLayer read_vector(const std::filesystem::path& file, const std::string& layer = {});

/// Reads a comma-separated file without quoting (header row, CRLF tolerated).
std::vector<std::map<std::string, std::string>> read_csv(const std::filesystem::path& file);

/// An attribute value of an output feature.
using Value = std::variant<std::int64_t, double, std::string>;

/// One output field.
struct Field {
  enum class Type { Integer, Real, Text };
  std::string name;
  Type type = Type::Text;
};

/// One output layer in WGS84 longitude/latitude (EPSG:4326).
struct OutLayer {
  std::string name;
  core::Geometries geom;  ///< lon/lat degrees
  std::vector<Field> fields;
  std::vector<std::vector<Value>> rows;  ///< one row per feature, in field order
};

/// Writes every layer into one GeoPackage (temp file, then rename). Output is reproducible:
/// the GeoPackage timestamps come from OGR_CURRENT_DATE, which the caller fixes.
void write_gpkg(const std::filesystem::path& file, const std::vector<OutLayer>& layers);

/// Writes an Int32 single-band GeoTIFF (DEFLATE) with the grid's geotransform; `crs_def` is any
/// definition OSR accepts (here a PROJ string), named `crs_name` in the file; `nodata` is written
/// as the band's no-data value.
void write_geotiff_int32(const std::filesystem::path& file, const core::Grid<std::int32_t>& grid,
                         const std::string& crs_def, const std::string& crs_name, std::int32_t nodata);

/// Fixes GDAL settings that make output files byte-identical between runs.
void init_gdal_reproducible();

}  // namespace kepumap::make_demo
