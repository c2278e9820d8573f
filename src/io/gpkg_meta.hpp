#pragma once
// What QGIS reads from a GeoPackage besides the data: a default style per layer (the
// `layer_styles` table QGIS itself writes), Chinese field titles (`gpkg_data_columns`, the
// GeoPackage schema extension) and a layer title and description (`gpkg_contents`).
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "io/vector_writer.hpp"

namespace kepumap::io {

/// kepumap's name for the styles it writes: rows with another name are the planner's own.
inline constexpr const char* KEPUMAP_STYLE_NAME = "kepumap 默认样式";

/// Metadata of one table in a GeoPackage kepumap wrote.
struct GpkgLayerMeta {
  std::string table;        ///< table name (layer name)
  std::string title;        ///< gpkg_contents.identifier (shown by QGIS as the layer title)
  std::string description;  ///< gpkg_contents.description
  /// column name -> title (gpkg_data_columns.title and .name); vector tables only.
  std::vector<std::pair<std::string, std::string>> aliases;
  std::string qml;  ///< QGIS style document for layer_styles; "" = no style row (rasters)
};

/// Writes `layers`' metadata into `gpkg` (opened for update; call it on a staging copy).
/// layer_styles: the rows kepumap wrote before for these tables (style name KEPUMAP_STYLE_NAME)
/// are replaced; every other row (styles the planner saved from QGIS) is kept. kepumap's row is
/// the table's default (useAsDefault) unless the planner saved a default of their own, which
/// stays the default. gpkg_data_columns rows of these tables are replaced, and the schema
/// extension is registered. Throws DataError naming the file and table on failure.
void write_gpkg_meta(const std::filesystem::path& gpkg, const std::vector<GpkgLayerMeta>& layers);

/// write_layers into a GeoPackage, then write_gpkg_meta, all on one staging copy renamed into
/// place at the end (an existing file keeps its other layers and the planner's styles).
void write_styled_gpkg(const std::filesystem::path& gpkg, const std::vector<LayerToWrite>& layers,
                       WriteOptions options, const std::vector<GpkgLayerMeta>& meta);

}  // namespace kepumap::io
