#pragma once
// The files `kepumap coverage` writes, shared by the command line and the app's export dialog.
#include <atomic>
#include <filesystem>
#include <string>

#include "analysis/evaluation.hpp"
#include "core/document.hpp"
#include "core/style.hpp"

namespace kepumap::report {

/// Writes coverage.gpkg (unit polygons with every figure; time and gap rasters), one CSV per unit
/// level, equity.csv, targets.csv and coverage.xlsx into `dir` (created). Returns an empty
/// string on success, else one line saying what failed and where. Each layer of coverage.gpkg
/// gets a default QGIS style made from `style` (the report's gap choropleth and outlines, unit
/// labels), field titles and a layer title in the chosen language. `output_crs`: the vector
/// layers' CRS ("" = WGS84). When `cancel` is given and becomes true, the writing stops before
/// the next file or raster and returns "cancelled (已取消)"; coverage.gpkg is then left as it was
/// (its staging copy is removed) and no other file is half-written.
std::string write_coverage_outputs(const std::filesystem::path& dir, const core::Document& doc,
                                   const analysis::ProjectEvaluation& pe, bool english,
                                   const core::Style& style, const std::string& output_crs = {},
                                   const std::atomic<bool>* cancel = nullptr);
/// The line write_coverage_outputs returns when it was cancelled.
inline constexpr const char* CANCELLED_LINE = "cancelled (已取消)";

}  // namespace kepumap::report
