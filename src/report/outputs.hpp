#pragma once
// The files `kepumap coverage` writes, shared by the command line and the app's export dialog.
#include <filesystem>
#include <string>

#include "analysis/evaluation.hpp"
#include "core/document.hpp"

namespace kepumap::report {

/// Writes coverage.gpkg (unit polygons with every figure; time and gap rasters), one CSV per unit
/// level, equity.csv, targets.csv and coverage.xlsx into `dir` (created). Returns an empty
/// string on success, else one line saying what failed and where.
std::string write_coverage_outputs(const std::filesystem::path& dir, const core::Document& doc,
                                   const analysis::ProjectEvaluation& pe, bool english);

}  // namespace kepumap::report
