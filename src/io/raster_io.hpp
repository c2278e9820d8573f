#pragma once
// Population rasters (GeoTIFF and anything GDAL reads) into core::GridF in the analysis CRS,
// and grids written back out as compressed GeoTIFF.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/document.hpp"
#include "core/grid.hpp"

namespace kepumap::io {

/// Extent of a raster in WGS84 longitude/latitude degrees (corners and edges transformed), or
/// nullopt with an error in `diag` when it cannot be opened or has no usable CRS.
/// `crs_override` replaces the file's CRS when not empty.
std::optional<core::BBox> raster_extent_lonlat(const std::string& source, const std::string& crs_override,
                                               core::Diagnostics& diag);

/// Reads a count raster (people per cell) and warps it onto a north-up grid in `analysis_crs`
/// with square cells of `cell_size_m` metres, aligned to multiples of the cell size, by
/// sum-preserving resampling (GDAL GRA_Sum). NoData and negative cells count as 0. The total is
/// checked against the source total: a difference above 0.5 % is an error. Fills `report`
/// (driver, source CRS, lon/lat extent, "raster WxH" as geometry type). nullopt on error.
std::optional<core::GridF> read_population_raster(const std::string& source, const std::string& crs_override,
                                                  const std::string& analysis_crs, double cell_size_m,
                                                  core::LayerReport& report, core::Diagnostics& diag);

/// Reads a class raster (land cover: one class value per cell) onto the same kind of grid as
/// read_population_raster, by nearest neighbour, so class values are kept as they are. Cells
/// outside the source and NoData cells are NaN (the grid's nodata). nullopt on error.
std::optional<core::GridF> read_class_raster(const std::string& source, const std::string& crs_override,
                                             const std::string& analysis_crs, double cell_size_m,
                                             core::LayerReport& report, core::Diagnostics& diag);

/// Writes `grid` (metres in `analysis_crs`) as a DEFLATE-compressed, tiled GeoTIFF: written to a
/// temporary name beside `path` and renamed into place. Throws DataError if it cannot be written.
/// The band is described for GIS programs: `band_description` (e.g. "出行时间 travel time") and
/// `band_unit` (e.g. "min") when given; the CRS is written with a name (a custom analysis CRS is
/// named "kepumap analysis CRS (Albers equal-area, WGS 84)") and its EPSG code where one exists.
void write_geotiff(const core::GridF& grid, const std::string& analysis_crs,
                   const std::filesystem::path& path, const std::string& band_description = {},
                   const std::string& band_unit = {});

/// Writes a GeoTIFF of class numbers (Int32, nodata `grid.nodata`) with a raster attribute table
/// (GDAL writes it into `path`.aux.xml, renamed into place with the GeoTIFF): one row per
/// `names` entry, value = its index, with the name. For the nearest-facility raster.
void write_geotiff_classes(const core::GridI& grid, const std::string& analysis_crs,
                           const std::filesystem::path& path, const std::vector<std::string>& names,
                           const std::string& band_description = {});

/// Reads a single-band GeoTIFF written by write_geotiff (or any north-up raster already in the
/// analysis CRS) without resampling. Throws DataError if it cannot be read or is rotated.
core::GridF read_grid(const std::filesystem::path& path);

}  // namespace kepumap::io
