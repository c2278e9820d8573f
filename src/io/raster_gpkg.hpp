#pragma once
// Float rasters added to a GeoPackage as gridded-coverage tables (GDAL GPKG raster driver,
// TIFF tiles so Float32 values are kept exactly).
#include <filesystem>
#include <string>
#include <vector>

#include "core/grid.hpp"

namespace kepumap::io {

/// Adds `grid` (metres in `analysis_crs`) to the GeoPackage at `gpkg` as raster table `table`,
/// in place: call it on a staging copy (core::TempFile) that is renamed over the real file once
/// complete, as a failure may leave `gpkg` half extended. Throws DataError naming the file and
/// table on failure.
void add_raster_to_gpkg(const core::GridF& grid, const std::string& analysis_crs,
                        const std::filesystem::path& gpkg, const std::string& table);

/// Removes the raster tables `tables` that exist in the GeoPackage at `gpkg` (in place, one
/// transaction): the tile table and its rows in gpkg_contents, the tile matrix tables, the
/// gridded-coverage ancillary tables, gpkg_extensions and gpkg_metadata_reference. Everything
/// else (vector layers, layer_styles, other rasters) is untouched. Call it on a staging copy.
/// Throws DataError naming the file and table on failure.
void drop_gpkg_rasters(const std::filesystem::path& gpkg, const std::vector<std::string>& tables);

}  // namespace kepumap::io
