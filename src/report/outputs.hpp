#pragma once
// The files `kepumap coverage` writes, shared by the command line and the app's export dialog.
#include <filesystem>
#include <string>

#include "analysis/evaluation.hpp"
#include "core/document.hpp"

namespace kepumap::report {

/// Writes coverage.gpkg (unit polygons with every figure; time and gap rasters), one CSV per unit
/// level, equity.csv, targets.csv and coverage.xlsx into `dir` (created). Returns an empty
/// string on success, else one line saying what failed and where. Each layer of coverage.gpkg
/// gets a default QGIS style (the gap choropleth of the report, unit labels), field titles and a
/// layer title in the chosen language. `output_crs`: the vector layers' CRS ("" = WGS84; see
/// output_crs_for).
std::string write_coverage_outputs(const std::filesystem::path& dir, const core::Document& doc,
                                   const analysis::ProjectEvaluation& pe, bool english,
                                   const std::string& output_crs = {});

}  // namespace kepumap::report
