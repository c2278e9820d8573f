#pragma once
// project.toml: parsing (strict, with line numbers) and loading every layer into a Document in
// the analysis CRS.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/document.hpp"
#include "core/project.hpp"

namespace kepumap::io {

/// Parses project.toml text (the file name is used in messages and to resolve relative paths).
/// Strict: an unknown section or key, a wrong type, a missing required key, an unknown role or a
/// duplicate layer name is an error in `diag` naming the line ("did you mean ..." for near
/// misses). Every problem is collected; the returned config is partial when `diag` has errors.
core::ProjectConfig parse_project(std::string_view toml_text, const std::filesystem::path& file,
                                  core::Diagnostics& diag);

/// Reads and parses a project file (a missing or unreadable file is an error in `diag`).
core::ProjectConfig read_project(const std::filesystem::path& file, core::Diagnostics& diag);

/// Loads a project: parses project.toml, reads every layer (vector layers through GDAL/OGR,
/// CSV point tables, population rasters), chooses the analysis CRS (the project's `crs`, or an
/// equal-area CRS fitted to the union of the layers' lon/lat extents), reprojects and repairs
/// everything. Never throws for bad input: every problem goes to `Document::diagnostics`
/// (a layer that failed is left out). Check `diagnostics.has_errors()`.
core::Document load_project(const std::filesystem::path& project_toml);

/// As load_project, but throws DataError (first error, every problem attached) on any error.
core::Document load_project_or_throw(const std::filesystem::path& project_toml);

/// Loads one data file (no project): its layer `layer_name`, or every layer if empty, each
/// with role "other", in an analysis CRS fitted to the data. Problems go to the diagnostics.
core::Document load_data_file(const std::string& source, const std::string& layer_name = {});

/// "Did you mean" helper: the candidate closest to `word` by edit distance when it is close
/// enough to be a plausible typo, else empty.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace kepumap::io
